"""Hard negative templates: look-alikes that a correct engine must leave untouched.

Each one breaks a rule of the spec in README.md (a checksum, a number range, a
required part, a reserved address block) or is a kind of identifier the spec
says is never redacted (trace, span and session ids, versions, token counts).
``keep`` lists the look-alikes; slots (``⟪n⟫``) are generated look-alikes and
join ``keep`` automatically. No template contains a real sensitive value.
"""

from __future__ import annotations

from corpus_template import T, args, attr, chat, genai_messages, js, msg, oi_messages

IN_MSG = "llm.input_messages.1.message.content"
OUT_MSG = "llm.output_messages.0.message.content"
PROMPT = "gen_ai.prompt.0.content"
COMPLETION = "gen_ai.completion.0.content"
TOOL_ARGS = "tool.arguments"
GENAI_ARGS = "gen_ai.tool.call.arguments"
TOOL_RESULT = "tool.result"

EMAIL: list[T] = [
    msg(
        IN_MSG,
        "@maria.k can you take a look at the refund queue? @ops-oncall this is blocking "
        "the 3pm release.",
        "@maria.k",
        "@ops-oncall",
    ),
    msg(
        PROMPT,
        "Use `@dataclass(frozen=True)` on the config and `@pytest.mark.parametrize` for "
        "the cases; `@lru_cache` breaks with unhashable args.",
        "@dataclass(frozen=True)",
        "@pytest.mark.parametrize",
        "@lru_cache",
    ),
    msg(
        PROMPT,
        "npm install react@18.3.1 react-dom@18.3.1 fails with ERESOLVE; pinning "
        "@types/react@18.2.79 didn't help.",
        "react@18.3.1",
        "react-dom@18.3.1",
        "@types/react@18.2.79",
    ),
    msg(
        IN_MSG,
        "I ran `ssh deploy@bastion-01` and then `sudo -u postgres psql`, but the prompt "
        "root@db-primary:~# says permission denied.",
        "deploy@bastion-01",
        "root@db-primary",
    ),
    msg(
        PROMPT,
        "Go builds fail after bumping golang.org/x/net@v0.24.0 and "
        "google.golang.org/grpc@v1.63.2 in go.mod.",
        "golang.org/x/net@v0.24.0",
        "google.golang.org/grpc@v1.63.2",
    ),
    msg(
        IN_MSG,
        "Send it to support@ — sorry, hit enter too early. Anyway the ticket is CS-20931 "
        "and the user was jdoe@ in the old system.",
        "support@",
        "jdoe@",
        "CS-20931",
    ),
    msg(
        IN_MSG,
        "Price is 3 @ $4.99 each, so 14.97 before tax; the promo code @SPRING26 didn't apply.",
        "3 @ $4.99",
        "@SPRING26",
    ),
    msg(
        PROMPT,
        "The mobile layout breaks because the @media (max-width: 600px) block comes "
        "before the @import of the theme.",
        "@media (max-width: 600px)",
        "@import",
    ),
    msg(
        IN_MSG,
        "Login with the admin@localhost account works locally but not in staging.",
        "admin@localhost",
    ),
    msg(
        "input.value",
        "Bitte @Jonas und @Lea im Kanal #rechnungen markieren, die Vorlage heißt rechnung@v3.",
        "@Jonas",
        "@Lea",
        "rechnung@v3",
    ),
    msg(
        PROMPT,
        "Add @Override and @Transactional(readOnly = true) to findByEmail — the method "
        "name is fine, it's the annotation order.",
        "@Override",
        "@Transactional(readOnly = true)",
        "findByEmail",
    ),
    msg(
        PROMPT,
        "Pin the image as postgres@sha256:4c5d1f2e8a9b7c6d3e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b"
        "5c6d7e8f9a0b1c2d instead of the tag.",
        "postgres@sha256:4c5d1f2e8a9b7c6d3e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d",
    ),
    msg(
        IN_MSG,
        "The placeholder in the signup form says name@company and people literally type that.",
        "name@company",
    ),
    msg(
        COMPLETION,
        "Mentionnez @service-client dans le fil et utilisez le modèle facture@v2 pour la réponse.",
        "@service-client",
        "facture@v2",
    ),
    msg(
        PROMPT,
        "Email validation should reject `a@b`, `@example` and `user@.com`; the RFC is "
        "stricter than people think.",
        "a@b",
        "@example",
        "user@.com",
    ),
    msg(
        IN_MSG,
        "Etiqueta a @soporte_es y revisa el paquete utils@3.2.0 antes del despliegue.",
        "@soporte_es",
        "utils@3.2.0",
    ),
    msg(
        PROMPT,
        "Matrix multiply: `c = a @ b` works for numpy arrays but `a@b.T` looks odd to reviewers.",
        "a @ b",
        "a@b.T",
    ),
    args(
        TOOL_ARGS,
        {
            "mention": "@channel",
            "text": "Deploy of billing@2.14.0 finished",
            "thread_ts": "1714000000.123456",
        },
        "@channel",
        "billing@2.14.0",
        "1714000000.123456",
    ),
    args(
        TOOL_ARGS,
        {"dependencies": ["lodash@4.17.21", "left-pad@1.3.0"], "lockfile": "package-lock.json"},
        "lodash@4.17.21",
        "left-pad@1.3.0",
    ),
    args(
        TOOL_RESULT,
        {
            "decorators": ["@staticmethod", "@property", "@app.get('/healthz')"],
            "file": "server/routes.py",
        },
        "@staticmethod",
        "@app.get('/healthz')",
    ),
    args(
        GENAI_ARGS,
        {"field": "user.email", "operator": "is_null", "table": "accounts"},
        "user.email",
    ),
    args(
        TOOL_ARGS,
        {"ssh_target": "ubuntu@build-runner-7", "command": "uptime"},
        "ubuntu@build-runner-7",
    ),
    args(
        TOOL_RESULT,
        {"twitter": "@northwind_help", "instagram": "@northwind.official"},
        "@northwind_help",
        "@northwind.official",
    ),
    args(
        TOOL_ARGS,
        {"cron": "0 9 * * 1-5", "notify": "@oncall-primary", "job": "nightly@eu-west-1"},
        "@oncall-primary",
        "nightly@eu-west-1",
    ),
    js(
        "input.value",
        chat(
            "How do I match user@domain style strings? My pattern also matches "
            "foo@bar, which has no TLD.",
            "You are a coding assistant.",
        ),
        "user@domain",
        "foo@bar",
    ),
    js(
        GENAI_ARGS,
        {"package": "@scope/ui-kit@2.3.1", "registry": "internal"},
        "@scope/ui-kit@2.3.1",
    ),
    js(
        "output.value",
        {"mentions": ["@alex", "@devops-team"], "text": "@alex please review"},
        "@devops-team",
        "@alex please review",
    ),
    js(
        "gen_ai.input.messages",
        genai_messages(
            (
                "user",
                "git blame says the line came from commit 3f9a2c1 by @jmartinez; see PR #4412.",
            )
        ),
        "@jmartinez",
        "3f9a2c1",
        "PR #4412",
    ),
    js(
        "llm.input_messages",
        oi_messages(
            ("user", "In Vue I use @submit.prevent and @click.stop on the same form, is that ok?")
        ),
        "@submit.prevent",
        "@click.stop",
    ),
    js(
        "output.value",
        {
            "author": "@k.tanaka",
            "commit": "9f1c2ab",
            "message": "fix: handle user@ prefix in parser",
        },
        "@k.tanaka",
        "user@ prefix",
    ),
    attr("code.function", "@cached_property"),
    attr("package.spec", "ratchet-evals@0.4.1"),
    attr("user.handle", "@lena.schmidt"),
    attr("vcs.ref", "refs/tags/release@2026.04.18"),
    attr(
        "exception.message",
        "ValueError: 'jane.doe@' is not a valid address (missing domain)",
        "'jane.doe@'",
    ),
    attr("http.route", "/users/@me/settings"),
    attr("code.namespace", "@nestjs/common@10.3.7"),
    attr("messaging.destination", "@channel:ops-alerts"),
]

PHONE: list[T] = [
    msg(
        IN_MSG,
        "The job ran at 2026-04-18 03:15:42 UTC (unix 1776482142) and wrote 1,234,567 rows.",
        "2026-04-18 03:15:42",
        "1776482142",
        "1,234,567",
    ),
    msg(
        OUT_MSG,
        "Total refunded: 1,234,567.89 JPY across 412 orders; the largest single refund "
        "was 98,450.00.",
        "1,234,567.89",
        "98,450.00",
    ),
    msg(
        PROMPT,
        "Trace 4bf92f3577b34da6a3ce929d0e0e4736, span 00f067aa0ba902b7 — the tool call "
        "took 18234 ms.",
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "00f067aa0ba902b7",
        "18234 ms",
    ),
    msg(
        IN_MSG,
        "Order ord_84731923 shipped; USPS tracking 9400 1118 9922 3397 6543 21.",
        "ord_84731923",
        "9400 1118 9922 3397 6543 21",
    ),
    msg(
        IN_MSG,
        "Ship to ZIP 94107-1234; the warehouse code is 60-4471-A and the dock is open 06:00-14:30.",
        "94107-1234",
        "60-4471-A",
        "06:00-14:30",
    ),
    msg(
        IN_MSG,
        "ISBN 978-0-596-52068-7 is out of stock, try 978-1-4919-5017-6 instead.",
        "978-0-596-52068-7",
        "978-1-4919-5017-6",
    ),
    msg(
        IN_MSG,
        "Coordinates of the pickup point: 52.520008, 13.404954 (Berlin Mitte).",
        "52.520008, 13.404954",
    ),
    msg(
        PROMPT,
        "Windows build 10.0.22631.3447 reproduces it, 10.0.19045.4291 doesn't.",
        "10.0.22631.3447",
        "10.0.19045.4291",
    ),
    msg(
        COMPLETION,
        "That request used 18,234 prompt tokens and 2,117 completion tokens, about "
        "$0.0412, at 2026-04-18T09:12:33.512Z.",
        "18,234",
        "2,117",
        "2026-04-18T09:12:33.512Z",
    ),
    msg(
        "input.value",
        "Rechnung Nr. 2026-004512 vom 18.04.2026 über 1.249,90 € ist noch offen.",
        "2026-004512",
        "18.04.2026",
        "1.249,90 €",
    ),
    msg(
        IN_MSG,
        "Commande n° 1471220913 livrée le 18/04/2026 entre 08h00 et 12h00.",
        "1471220913",
        "18/04/2026",
    ),
    msg(
        PROMPT,
        "The NodePort range is 30000-32767 and our service uses 31080.",
        "30000-32767",
        "31080",
    ),
    msg(
        PROMPT,
        "Span ids like 00f067aa0ba902b7 and the session 7c9e6679-7425-40de-944b-"
        "e07fc1f97ae6 are fine to log.",
        "7c9e6679-7425-40de-944b-e07fc1f97ae6",
    ),
    msg(
        OUT_MSG,
        "Temperature readings: 21.5, 21.7, 22.1, 22.4, 22.9 °C between 10:00 and 10:20.",
        "21.5, 21.7, 22.1, 22.4, 22.9",
    ),
    msg(
        IN_MSG,
        "El pedido 2026-0418-7731 se entregó el 18-04-2026; importe 1.234,56 €.",
        "2026-0418-7731",
        "18-04-2026",
        "1.234,56",
    ),
    msg(
        IN_MSG,
        "Fattura 2026/004512 del 18/04/2026, pagamento a 30 giorni.",
        "2026/004512",
        "18/04/2026",
    ),
    msg(
        IN_MSG,
        "Postcode 1012 AB, huisnummer 14-3, bestelling 20260418-0042.",
        "1012 AB",
        "20260418-0042",
    ),
    msg(
        PROMPT,
        "Build 20260418.3 failed at step 7/12 after 1714 seconds; retry 2 of 5.",
        "20260418.3",
        "7/12",
        "1714 seconds",
    ),
    msg(
        IN_MSG,
        "Our phone field stores E.164 numbers, max 15 digits; the form rejected the "
        "value 12345 as too short.",
        "E.164",
        "12345",
    ),
    args(
        TOOL_ARGS,
        {"order_id": "ord_84731923", "created_at": "2026-04-18T10:02:11Z", "amount": "1,234.50"},
        "ord_84731923",
        "2026-04-18T10:02:11Z",
        "1,234.50",
    ),
    args(
        TOOL_ARGS,
        {"trace_id": "⟪0⟫", "span_id": "⟪1⟫", "duration_ms": 18234},
        slots=("trace_id", "span_id"),
        reps=2,
    ),
    args(
        TOOL_RESULT,
        {
            "invoice": "INV-2026-004512",
            "due": "2026-05-18",
            "lines": [{"sku": "SKU-4006381-333", "qty": 12}],
        },
        "INV-2026-004512",
        "2026-05-18",
        "SKU-4006381-333",
    ),
    args(
        GENAI_ARGS,
        {"range": {"from": 1714000000, "to": 1714086400}, "cursor": "1714043200"},
        "1714043200",
    ),
    args(
        TOOL_ARGS, {"tracking_number": "1Z999AA10123456784", "carrier": "ups"}, "1Z999AA10123456784"
    ),
    args(TOOL_ARGS, {"isbn": "978-3-16-148410-0", "edition": "2nd"}, "978-3-16-148410-0"),
    args(TOOL_RESULT, {"request_id": "⟪0⟫", "attempt": 2}, slots=("uuid4",), reps=2),
    args(TOOL_ARGS, {"zip": "10115", "zip4": "94107-1234", "country": "US"}, "94107-1234"),
    js(
        "output.value",
        {"order": "ord_55120934", "placed": "2026-04-18", "total": "12,499.00"},
        "ord_55120934",
        "2026-04-18",
        "12,499.00",
    ),
    js(
        GENAI_ARGS,
        {"from": "2026-04-01", "to": "2026-04-30", "limit": 250},
        "2026-04-01",
        "2026-04-30",
    ),
    js(
        "input.value",
        chat(
            "why is span 5b8aa5a2d2c872e8 duplicated across traces "
            "0af7651916cd43dd8448eb211c80319c and 4bf92f3577b34da6a3ce929d0e0e4736?",
            "You are a coding assistant.",
        ),
        "5b8aa5a2d2c872e8",
        "0af7651916cd43dd8448eb211c80319c",
        "4bf92f3577b34da6a3ce929d0e0e4736",
    ),
    js(
        "llm.input_messages",
        oi_messages(("user", "Versions tested: 3.11.7, 3.12.2, 3.13.0a4; all pass on 2026-04-18.")),
        "3.11.7",
        "3.12.2",
        "3.13.0a4",
    ),
    js(
        "gen_ai.input.messages",
        genai_messages(("user", "The export has 1,048,576 rows, ids 100000000 to 101048575.")),
        "1,048,576",
        "100000000",
        "101048575",
    ),
    attr("order.id", "112-4839201-5573920"),
    attr("event.timestamp_ms", "1714000000123"),
    attr("invoice.number", "2026-004512-07"),
    attr("session.id", "⟪0⟫", slots=("uuid4",)),
    attr("app.build", "2026.04.18.1942"),
    attr("geo.coordinates", "48.858370,2.294481"),
]

CARD: list[T] = [
    msg(
        PROMPT,
        "Our QA suite uses ⟪0⟫ as the 'bad check digit' card; the gateway should reject "
        "it before any network call.",
        slots=("bad_card",),
        reps=3,
    ),
    msg(
        IN_MSG,
        "Order number ⟪0⟫ shows as delivered but I never got it. Can you check with the courier?",
        slots=("long_reference",),
        reps=3,
    ),
    msg(
        OUT_MSG,
        "Your card ending in 4242 was charged $19.99. On the statement it shows as "
        "•••• •••• •••• 4242.",
        "ending in 4242",
        "•••• •••• •••• 4242",
    ),
    msg(
        PROMPT,
        "Masked PAN 411111******1111 is fine to store per our PCI scope doc; the full "
        "number never leaves the vault.",
        "411111******1111",
    ),
    msg(
        IN_MSG,
        "Reference ⟪0⟫ — please quote this number when you call about the transfer.",
        slots=("bad_card_compact",),
        reps=2,
    ),
    msg(
        "input.value",
        "Die Sendungsnummer lautet ⟪0⟫, Zustellung voraussichtlich am 22.04.",
        slots=("long_reference",),
        reps=2,
    ),
    msg(
        IN_MSG,
        "The gift card code is GC-7731-4470-2291-0584 and the PIN is on the back.",
        "GC-7731-4470-2291-0584",
    ),
    msg(
        PROMPT,
        "EAN 4006381333931 and 8711253001202 are both in the catalogue, 12 units each.",
        "4006381333931",
        "8711253001202",
    ),
    msg(
        OUT_MSG,
        "Your booking ref ⟪0⟫ for the 14:05 train has been cancelled.",
        slots=("bad_card",),
        reps=2,
    ),
    msg(
        PROMPT,
        "Conversion id 20260418104512377 comes from the ad platform; dedupe on it.",
        "20260418104512377",
    ),
    msg(
        IN_MSG,
        "Loyalty number 4000 1234 5670 — it's only 12 digits, is that right?",
        "4000 1234 5670",
    ),
    msg(
        IN_MSG,
        "SIM ICCID 89440012345678901234 needs activation before Friday.",
        "89440012345678901234",
    ),
    msg(
        COMPLETION, "Numéro de suivi ⟪0⟫ : colis remis au point relais.", slots=("long_reference",)
    ),
    msg(
        PROMPT,
        "The nanosecond timestamp 1714000000123456780 overflowed the float column and came "
        "back as 1.714e18.",
        "1714000000123456780",
        "1.714e18",
    ),
    msg(IN_MSG, "Invoice 5512-8830-1129-4472 is overdue by 14 days.", "5512-8830-1129-4472"),
    args(
        TOOL_ARGS, {"order_number": "⟪0⟫", "status": "shipped"}, slots=("long_reference",), reps=2
    ),
    args(
        TOOL_RESULT,
        {
            "payment_method": {
                "brand": "visa",
                "last4": "4242",
                "exp_month": 8,
                "exp_year": 2027,
                "fingerprint": "Xt5EWLLDS7FJjR1c",
            }
        },
        "4242",
        "Xt5EWLLDS7FJjR1c",
    ),
    args(
        TOOL_RESULT,
        {"card_display": "**** **** **** 1881", "wallet": "apple_pay"},
        "**** **** **** 1881",
    ),
    args(GENAI_ARGS, {"gtin": "⟪0⟫", "qty": 3}, slots=("long_reference",)),
    args(
        TOOL_ARGS,
        {"ref": "⟪0⟫", "note": "bank transfer reference, not a card"},
        slots=("bad_card",),
        reps=2,
    ),
    args(
        TOOL_ARGS,
        {"test_cards": ["⟪0⟫", "⟪1⟫"], "expect": "invalid_number"},
        slots=("bad_card", "bad_card"),
        reps=2,
    ),
    js("output.value", {"order_id": "⟪0⟫", "items": 3}, slots=("long_reference",), reps=2),
    js(GENAI_ARGS, {"tracking": "⟪0⟫", "carrier": "dhl"}, slots=("long_reference",), reps=2),
    js(
        "input.value",
        chat(
            "our QA script uses ⟪0⟫ as the invalid-card case, but the sandbox accepts it??",
            "You are a payments integration assistant.",
        ),
        slots=("bad_card",),
        reps=2,
    ),
    js(
        "output.value",
        {"card": {"last4": "0005", "brand": "amex", "masked": "3782 ****** 10005"}},
        "0005",
        "3782 ****** 10005",
    ),
    js(
        "llm.input_messages",
        oi_messages(("user", "EAN codes on the pallet: ⟪0⟫ and ⟪1⟫")),
        slots=("long_reference", "long_reference"),
    ),
    attr("order.id", "⟪0⟫", slots=("long_reference",), reps=2),
    attr("shipment.tracking_number", "⟪0⟫", slots=("long_reference",), reps=2),
    attr("payment.card.last4", "4242"),
    attr("payment.card.masked", "5555 55** **** 4444"),
    attr("db.rows_scanned", "1234567890124"),
    attr("event.timestamp_ns", "1714000000123456780"),
    attr("payment.test_card", "⟪0⟫", slots=("bad_card",), reps=2),
]

IBAN: list[T] = [
    msg(
        PROMPT,
        "Our sandbox uses ⟪0⟫ as the 'invalid checksum' example, so the form should reject it.",
        slots=("bad_iban",),
        reps=3,
    ),
    msg(
        IN_MSG,
        "For the wire I only need the BIC (DEUTDEFFXXX) and the sort code 20-00-00, not "
        "the full account.",
        "DEUTDEFFXXX",
        "20-00-00",
    ),
    msg(
        IN_MSG,
        "Our VAT number is DE811907980 and the EORI is DE1234567891234.",
        "DE811907980",
        "DE1234567891234",
    ),
    msg(
        PROMPT,
        "The fund holds ISIN US0378331005 and DE0007164600; the issuer's LEI is "
        "5493001KJTIIGC8Y1R12.",
        "US0378331005",
        "DE0007164600",
        "5493001KJTIIGC8Y1R12",
    ),
    msg(
        IN_MSG,
        "Ship container MSCU1234565 to Rotterdam, booking GB-ORD-2026-00042.",
        "MSCU1234565",
        "GB-ORD-2026-00042",
    ),
    msg(
        IN_MSG,
        "Deliver to SW1A 1AA or EC1A 1BB, whichever depot is closer.",
        "SW1A 1AA",
        "EC1A 1BB",
    ),
    msg(
        "input.value",
        "Die Gläubiger-ID lautet DE98ZZZ09999999999, die Mandatsreferenz MNDT-2026-000412.",
        "DE98ZZZ09999999999",
        "MNDT-2026-000412",
    ),
    msg(
        PROMPT,
        "The IBAN field placeholder reads 'DE00 0000 0000 0000 0000 00' and some users "
        "submit it unchanged.",
        "DE00 0000 0000 0000 0000 00",
    ),
    msg(
        OUT_MSG,
        "Payment reference RF18 5390 0754 7034 goes in the remittance field, not the IBAN field.",
        "RF18 5390 0754 7034",
    ),
    msg(
        IN_MSG,
        "Bestelling NL-2026-04-18-0042 is verzonden; factuurnummer NL26INV0042.",
        "NL-2026-04-18-0042",
        "NL26INV0042",
    ),
    msg(
        IN_MSG,
        "Le numéro de TVA FR40303265045 figure sur la facture FA-2026-0418.",
        "FR40303265045",
        "FA-2026-0418",
    ),
    msg(
        PROMPT,
        "The import failed on row 7: ⟪0⟫ is too short for its country.",
        slots=("iban_wrong_length",),
        reps=2,
    ),
    msg(
        IN_MSG,
        "El CIF B12345678 de la empresa y la referencia ES-PED-2026-0418 están en el albarán.",
        "B12345678",
        "ES-PED-2026-0418",
    ),
    msg(
        COMPLETION,
        "Codice SWIFT UNCRITMMXXX, causale: rimborso ordine IT-77120.",
        "UNCRITMMXXX",
        "IT-77120",
    ),
    msg(IN_MSG, "Die UID-Nummer CHE-123.456.788 steht auf jeder Rechnung.", "CHE-123.456.788"),
    args(TOOL_ARGS, {"bic": "ABNANL2A", "bank_name": "ABN AMRO", "country": "NL"}, "ABNANL2A"),
    args(
        TOOL_ARGS,
        {"iban_example": "⟪0⟫", "expected": "invalid_checksum"},
        slots=("bad_iban",),
        reps=3,
    ),
    args(TOOL_RESULT, {"isin": "US0378331005", "quantity": 12}, "US0378331005"),
    args(GENAI_ARGS, {"vat_id": "ATU13585627", "company": "Holzbau Keller GmbH"}, "ATU13585627"),
    args(TOOL_ARGS, {"postcode": "SW1A 2AA", "country": "GB"}, "SW1A 2AA"),
    args(
        TOOL_ARGS,
        {"reference": "DE-ORD-2026-04-18-0042", "amount": "150.00"},
        "DE-ORD-2026-04-18-0042",
    ),
    js(
        GENAI_ARGS,
        {"iban": "⟪0⟫", "validate_only": True, "expect_error": "checksum"},
        slots=("bad_iban",),
        reps=3,
    ),
    js(
        "output.value",
        {"valid": False, "input": "⟪0⟫", "error": "IBAN checksum mismatch (test fixture)"},
        slots=("bad_iban",),
        reps=3,
    ),
    js("input.value", chat("which branch is COBADEFFXXX, Hamburg or Frankfurt?"), "COBADEFFXXX"),
    js(
        "llm.input_messages",
        oi_messages(
            ("user", "Our SEPA creditor identifier is GB22ZZZSDDBARC0000007495895, is that public?")
        ),
        "GB22ZZZSDDBARC0000007495895",
    ),
    js(
        "gen_ai.input.messages",
        genai_messages(
            ("user", "Is FR76 an IBAN prefix? The form only shows the first four characters.")
        ),
        "FR76",
    ),
    attr("payment.bic", "BNPAFRPPXXX"),
    attr("company.vat_id", "NL859048132B01"),
    attr("payment.iban_masked", "DE89 **** **** **** **30 00"),
    attr("payment.test_iban", "⟪0⟫", slots=("bad_iban",), reps=2),
    attr("order.reference", "ES-2026-0418-7731"),
    attr("security.isin", "GB00B03MLX29"),
    attr(
        "import.error",
        "row 7: ⟪0⟫ has the wrong length for its country",
        slots=("iban_wrong_length",),
        reps=2,
    ),
]

SSN: list[T] = [
    msg(
        PROMPT,
        "Use ⟪0⟫ in the sandbox — the SSA never issues that range, so it can't collide "
        "with a real person.",
        slots=("bad_ssn",),
        reps=4,
    ),
    msg(
        IN_MSG,
        "Part number 900-12-3456 is backordered; the replacement is 900-12-3457.",
        "900-12-3456",
        "900-12-3457",
    ),
    msg(
        IN_MSG,
        "The order 512873409 was split into two shipments, the second leaves Monday.",
        "512873409",
    ),
    msg(IN_MSG, "Ship to ZIP 94107-1234, attention receiving dock 3.", "94107-1234"),
    msg(
        PROMPT,
        "Our bank's routing number is 021000021 and the check number is 1045.",
        "021000021",
        "1045",
    ),
    msg(
        OUT_MSG,
        "The form shows XXX-XX-1234 because only the last four digits are stored.",
        "XXX-XX-1234",
    ),
    msg(IN_MSG, "The ticket number is 4412-55-901 in the legacy format.", "4412-55-901"),
    msg(
        IN_MSG,
        "Incident date 2026-04-18; the affected batch is 2026-04-0012.",
        "2026-04-18",
        "2026-04-0012",
    ),
    msg(PROMPT, "EIN 12-3456789 belongs to the vendor company, not to a person.", "12-3456789"),
    msg(
        IN_MSG,
        "El número de expediente 000-45-6789 no es un SSN válido, es un código interno.",
        "000-45-6789",
    ),
    msg(
        IN_MSG,
        "Badge ID 00-123-4567 opens the loading dock; visitor badge 00-123-4568 doesn't.",
        "00-123-4567",
        "00-123-4568",
    ),
    msg(
        COMPLETION,
        "Lot 666-45-1234 failed QA and lot 666-45-1235 passed.",
        "666-45-1234",
        "666-45-1235",
    ),
    msg(
        IN_MSG,
        "Bin location 412-07-0000 is empty; restock from 412-00-1170.",
        "412-07-0000",
        "412-00-1170",
    ),
    msg(
        PROMPT,
        "Attachment DOC-512-44-1098 is the signed lease; DOC-512-44-1099 is the inventory.",
        "DOC-512-44-1098",
        "DOC-512-44-1099",
    ),
    args(
        TOOL_ARGS,
        {"ssn": "⟪0⟫", "env": "sandbox", "expect": "rejected"},
        slots=("bad_ssn",),
        reps=3,
    ),
    args(TOOL_ARGS, {"zip": "94107-1234", "ssn_last4": "6789"}, "94107-1234", "6789"),
    args(TOOL_RESULT, {"ein": "12-3456789", "vendor": "Northwind Traders LLC"}, "12-3456789"),
    args(TOOL_ARGS, {"ticket": "4471-22-0913", "queue": "billing"}, "4471-22-0913"),
    args(GENAI_ARGS, {"part": "⟪0⟫", "qty": 2}, slots=("bad_ssn",), reps=2),
    args(TOOL_ARGS, {"order_id": "738204915", "carrier": "ups"}, "738204915"),
    js(GENAI_ARGS, {"ssn": "⟪0⟫", "mode": "test"}, slots=("bad_ssn",), reps=3),
    js("output.value", {"masked_ssn": "***-**-6789", "verified": True}, "***-**-6789"),
    js(
        "input.value",
        chat(
            "what does the error 'SSN 000-12-3456 is invalid' mean? that's the "
            "sample value from the docs"
        ),
        "000-12-3456",
    ),
    js(
        "llm.input_messages",
        oi_messages(("user", "tracking 1Z 999 AA1 01 2345 6784 and order 602114873")),
        "1Z 999 AA1 01 2345 6784",
        "602114873",
    ),
    js(
        "gen_ai.input.messages",
        genai_messages(
            ("user", "Our lab sample ids look like 123-45-A678; can they be confused with SSNs?")
        ),
        "123-45-A678",
    ),
    attr("customer.ssn_last4", "6789"),
    attr("order.id", "530918274"),
    attr("test.ssn", "⟪0⟫", slots=("bad_ssn",), reps=2),
    attr("inventory.bin", "912-03-0044"),
    attr("document.id", "DOC-219-09-9999"),
    attr("employer.ein", "98-7654321"),
]

JWT: list[T] = [
    msg(
        PROMPT,
        "The build produced app.bundle.min.js and vendor.chunk.min.js; the source map is "
        "app.bundle.min.js.map.",
        "app.bundle.min.js",
        "vendor.chunk.min.js",
    ),
    msg(
        PROMPT,
        "Import it as ratchet.capture.pipeline and call os.path.join for the paths.",
        "ratchet.capture.pipeline",
        "os.path.join",
    ),
    msg(
        IN_MSG,
        "Our pagination cursor is eyJvZmZzZXQiOjEwMH0 — base64 JSON, nothing secret.",
        "eyJvZmZzZXQiOjEwMH0",
    ),
    msg(
        IN_MSG,
        "The service is reachable at billing-api.prod.svc.cluster.local inside the cluster.",
        "billing-api.prod.svc.cluster.local",
    ),
    msg(
        OUT_MSG,
        "A JWT has three parts, header.payload.signature, and the header starts with "
        "eyJhbGciOi when alg comes first.",
        "header.payload.signature",
        "eyJhbGciOi",
    ),
    msg(
        IN_MSG,
        "Version 1.4.0-rc.1+build.5 fixed it; 1.3.9 still has the bug.",
        "1.4.0-rc.1+build.5",
        "1.3.9",
    ),
    msg(
        IN_MSG,
        "Please rename report.final.v2.pdf to report.final.v3.pdf before sending.",
        "report.final.v2.pdf",
        "report.final.v3.pdf",
    ),
    msg(
        PROMPT,
        "The CLI prints cache entry ⟪0⟫ for the warm build; is that stable across machines?",
        slots=("b64_triplet",),
    ),
    msg(
        OUT_MSG,
        "The copy lives under the i18n key checkout.payment.card_declined_title, and the "
        "flag billing.refunds.auto_approve_v2 is still off.",
        "checkout.payment.card_declined_title",
        "billing.refunds.auto_approve_v2",
    ),
    msg(
        PROMPT,
        "Which histogram should I alert on, http.server.request.duration or "
        "gen_ai.client.token.usage?",
        "http.server.request.duration",
        "gen_ai.client.token.usage",
    ),
    msg(
        PROMPT,
        "The stack trace ends in com.acme.billing.InvoiceService.refund(InvoiceService.java:88).",
        "com.acme.billing.InvoiceService.refund",
    ),
    msg(
        "input.value",
        "Die Datei rechnung.2026.04.pdf liegt im Ordner export.archiv.alt.",
        "rechnung.2026.04.pdf",
        "export.archiv.alt",
    ),
    msg(
        PROMPT,
        "Set logging.level.root=DEBUG and spring.jpa.show-sql=true in application.properties.",
        "logging.level.root=DEBUG",
        "spring.jpa.show-sql=true",
    ),
    msg(
        PROMPT,
        "The label app.kubernetes.io.name was wrong; it should be app.kubernetes.io/name.",
        "app.kubernetes.io.name",
        "app.kubernetes.io/name",
    ),
    msg(
        PROMPT,
        "The JSONPath $.data.items.id returns nothing; try $.data.items[*].id.",
        "$.data.items.id",
        "$.data.items[*].id",
    ),
    args(
        TOOL_ARGS,
        {"file": "config.prod.yaml", "backup": "config.prod.yaml.bak"},
        "config.prod.yaml",
        "config.prod.yaml.bak",
    ),
    args(
        TOOL_ARGS,
        {"module": "ratchet.capture.pipeline", "function": "decode_spans"},
        "ratchet.capture.pipeline",
    ),
    args(
        GENAI_ARGS,
        {"cursor": "eyJwYWdlIjozLCJzaXplIjo1MH0", "limit": 50},
        "eyJwYWdlIjozLCJzaXplIjo1MH0",
    ),
    args(TOOL_ARGS, {"etag": "⟪0⟫", "path": "/v1/fixtures"}, slots=("b64_triplet",)),
    args(
        TOOL_RESULT,
        {"metric": "gen_ai.usage.input_tokens", "value": 18234},
        "gen_ai.usage.input_tokens",
    ),
    args(TOOL_ARGS, {"host": "eu.api.northwind.io", "path": "/v1/orders"}, "eu.api.northwind.io"),
    args(TOOL_RESULT, {"semver": "2.0.0-beta.3", "previous": "1.12.4"}, "2.0.0-beta.3", "1.12.4"),
    js("output.value", {"next_cursor": "eyJvZmZzZXQiOjIwMH0", "items": []}, "eyJvZmZzZXQiOjIwMH0"),
    js(GENAI_ARGS, {"bucket_key": "logs.2026-04-18.part-0001.gz"}, "logs.2026-04-18.part-0001.gz"),
    js(
        "input.value",
        chat(
            "why does python -m ratchet.cli.main fail but ratchet works?",
            "You are a coding assistant.",
        ),
        "ratchet.cli.main",
    ),
    js(
        "llm.input_messages",
        oi_messages(
            (
                "user",
                "The header eyJhbGciOiJSUzI1NiJ9 decodes to the RS256 alg object, but where is "
                "the rest of the token?",
            )
        ),
        "eyJhbGciOiJSUzI1NiJ9",
    ),
    js(
        "gen_ai.input.messages",
        genai_messages(("user", "Domains a.b.c and x.y.z are placeholders in the docs.")),
        "a.b.c",
        "x.y.z",
    ),
    js("output.value", {"checksum": "⟪0⟫"}, slots=("b64_triplet",)),
    js(
        "output.value",
        {"event": "order.refund.requested", "schema": "events.v2.OrderRefund"},
        "order.refund.requested",
        "events.v2.OrderRefund",
    ),
    attr("code.filepath", "src/app/auth/token.service.ts"),
    attr("server.address", "api.eu-central.northwind.io"),
    attr("http.route", "/v1/users/{id}/tokens.json"),
    attr("service.version", "2026.04.18"),
    attr("pagination.cursor", "eyJsYXN0X2lkIjoiZml4XzEwNDIifQ"),
    attr("cache.key", "⟪0⟫", slots=("b64_triplet",)),
    attr("feature_flag.key", "checkout.express.enabled_for_eu"),
    attr("code.namespace", "com.acme.billing.InvoiceService"),
    attr("messaging.destination", "orders.eu.created.v1"),
]

SECRET_KEY: list[T] = [
    msg(
        PROMPT,
        "Set Accept-Language to en-US,sk-SK;q=0.8 for the Slovak storefront.",
        "en-US,sk-SK;q=0.8",
    ),
    msg(
        IN_MSG,
        "We trained the baseline with scikit-learn 1.4, and a task-force of three people "
        "reviewed the risk-based scores.",
        "scikit-learn",
        "task-force",
        "risk-based",
    ),
    msg(
        OUT_MSG,
        "Your key shows as sk-...a1B2 in the dashboard; the full value is only shown "
        "once, at creation.",
        "sk-...a1B2",
    ),
    msg(
        OUT_MSG,
        "Put your key in OPENAI_API_KEY (it starts with sk-proj-), never in the code.",
        "OPENAI_API_KEY",
        "sk-proj-",
    ),
    msg(
        PROMPT,
        "Bot tokens start with xoxb- and user tokens with xoxp-; alerts go to channel C05QW8ZK2TL.",
        "xoxb-",
        "xoxp-",
        "C05QW8ZK2TL",
    ),
    msg(
        PROMPT,
        "Access key ids begin with AKIA (long-term) or ASIA (temporary). The role id "
        "AROAQ2LKBH6V3EXDMPOQ2 is not a secret.",
        "AKIA",
        "ASIA",
        "AROAQ2LKBH6V3EXDMPOQ2",
    ),
    msg(
        PROMPT,
        "The customer is cus_NffrFeUfNV2Hib and the payment intent "
        "pi_3MtwBwLkdIwHu7ix28a3tqPa; only the publishable key goes in the browser.",
        "cus_NffrFeUfNV2Hib",
        "pi_3MtwBwLkdIwHu7ix28a3tqPa",
    ),
    msg(
        OUT_MSG,
        "Personal tokens begin with ghp_ or github_pat_; ghp_test in our fixtures is just a stub.",
        "ghp_",
        "github_pat_",
        "ghp_test",
    ),
    msg(OUT_MSG, "Browser keys start with AIza; restrict them to the Maps JavaScript API.", "AIza"),
    msg(
        OUT_MSG,
        "Project tokens start with glpat-; ours live in the GITLAB_TOKEN CI variable.",
        "glpat-",
        "GITLAB_TOKEN",
    ),
    msg(
        PROMPT,
        "Completion chatcmpl-9xYz3AbCdEfGhIjKlMnOpQrStU finished with finish_reason=stop "
        "after 412 tokens.",
        "chatcmpl-9xYz3AbCdEfGhIjKlMnOpQrStU",
        "412 tokens",
    ),
    msg(
        PROMPT,
        "Tool call call_Ab12Cd34Ef56Gh78Ij90Kl12 failed; assistant asst_abc123XYZ789def456 "
        "retried on thread_9Qw8Er7Ty6Ui5Op4As3Df2Gh.",
        "call_Ab12Cd34Ef56Gh78Ij90Kl12",
        "asst_abc123XYZ789def456",
        "thread_9Qw8Er7Ty6Ui5Op4As3Df2Gh",
    ),
    msg(
        PROMPT,
        "Commit 9fceb02d0ae598e95dc970b74767f19372d61af8 bumped sklearn; the image digest "
        "is sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae.",
        "9fceb02d0ae598e95dc970b74767f19372d61af8",
        "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
    ),
    msg(
        "input.value",
        "Die Risk-Engine (risk-score v2) und das Desk-Sharing-Tool laufen wieder.",
        "risk-score",
        "Desk-Sharing-Tool",
    ),
    msg(
        PROMPT,
        "Rotate with `export PAYMENTS_SECRET_KEY=sk_live_<your key>` and restart the worker.",
        "sk_live_<your key>",
    ),
    msg(
        PROMPT,
        "`aws sts get-caller-identity` prints arn:aws:iam::123456789012:user/deploy and "
        "the UserId AIDAJQABLZS4A3QDU576Q.",
        "arn:aws:iam::123456789012:user/deploy",
        "AIDAJQABLZS4A3QDU576Q",
    ),
    msg(
        OUT_MSG,
        "The OAuth client id 123456789012-abc123def456ghi789jkl012mno345pq.apps."
        "googleusercontent.com is public; the client secret is not in this message.",
        "123456789012-abc123def456ghi789jkl012mno345pq.apps.googleusercontent.com",
    ),
    msg(
        OUT_MSG,
        "Masked for display: sk-proj-****************************Qx7A.",
        "sk-proj-****************************Qx7A",
    ),
    args(
        TOOL_ARGS,
        {"env": {"OPENAI_API_KEY": "${OPENAI_API_KEY}", "AWS_ACCESS_KEY_ID": "$AWS_ACCESS_KEY_ID"}},
        "${OPENAI_API_KEY}",
        "$AWS_ACCESS_KEY_ID",
    ),
    args(TOOL_ARGS, {"locale": "sk-SK", "fallback": "cs-CZ"}, "sk-SK"),
    args(
        TOOL_RESULT,
        {
            "customer": "cus_Q8f2LmZx91Ab",
            "price": "price_1NRd9kLkdIwHu7ixeMJz7cBa",
            "publishable_key": "pk_live_51HqLyjWDarjtT1zdp7dc",
        },
        "cus_Q8f2LmZx91Ab",
        "price_1NRd9kLkdIwHu7ixeMJz7cBa",
        "pk_live_51HqLyjWDarjtT1zdp7dc",
    ),
    args(
        GENAI_ARGS,
        {"slack_channel": "C024BE91L", "user": "U01ABCD2EFG", "team": "T0123ABCD"},
        "C024BE91L",
        "U01ABCD2EFG",
        "T0123ABCD",
    ),
    args(
        TOOL_ARGS,
        {"sha": "⟪0⟫", "branch": "task-force/ghp-cleanup"},
        "task-force/ghp-cleanup",
        slots=("git_sha",),
        reps=2,
    ),
    args(
        TOOL_RESULT,
        {
            "request_id": "req_7f3a9c21d4e84b12",
            "response_id": "resp_67ccd2bed1ec8190b14f964abc054267",
        },
        "req_7f3a9c21d4e84b12",
        "resp_67ccd2bed1ec8190b14f964abc054267",
    ),
    args(TOOL_ARGS, {"reminder": "AKIA rotation due", "days_left": 12}, "AKIA rotation due"),
    js(
        "output.value",
        {
            "object": "chat.completion",
            "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
            "usage": {"prompt_tokens": 18234},
        },
        "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
    ),
    js(GENAI_ARGS, {"package": "scikit-learn", "version": "1.4.2"}, "scikit-learn"),
    js(
        "input.value",
        chat(
            "where do I find my key? the docs say it begins with sk- but mine shows sk-...Zx9w",
            "You are a developer support bot.",
        ),
        "sk-...Zx9w",
    ),
    js(
        "output.value",
        {"uuid": "⟪0⟫", "fingerprint": "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"},
        "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8",
        slots=("uuid4",),
        reps=2,
    ),
    js(
        "llm.input_messages",
        oi_messages(("user", "is ghp_ABC a valid token? the tutorial uses it as an example")),
        "ghp_ABC",
    ),
    js(
        "gen_ai.input.messages",
        genai_messages(
            ("user", "El grupo de trabajo (task-force) revisa los tickets de risk-review.")
        ),
        "task-force",
        "risk-review",
    ),
    attr("gen_ai.response.id", "chatcmpl-9xYz3AbCdEfGhIjKlMnOpQrStU"),
    attr("http.request.header.accept-language", "sk-SK,sk;q=0.9,en;q=0.8"),
    attr("vcs.commit.sha", "⟪0⟫", slots=("git_sha",), reps=2),
    attr("session.id", "⟪0⟫", slots=("uuid4",), reps=2),
    attr("payments.customer", "cus_NffrFeUfNV2Hib"),
    attr("code.function", "mask_secret_key"),
    attr(
        "user.note", "key stored in vault at secret/data/ghp-rotation", "secret/data/ghp-rotation"
    ),
]

IP: list[T] = [
    msg(
        PROMPT,
        "The server binds to 0.0.0.0:4318 and the health check hits http://127.0.0.1:4318/healthz.",
        "0.0.0.0:4318",
        "http://127.0.0.1:4318/healthz",
    ),
    msg(
        OUT_MSG,
        "In the docs we use 192.0.2.15 for the client and 198.51.100.7 for the proxy; "
        "replace them with your own.",
        "192.0.2.15",
        "198.51.100.7",
    ),
    msg(
        PROMPT,
        "Postgres listens on [::1]:5432 locally and on [::]:5432 in the container.",
        "[::1]:5432",
        "[::]:5432",
    ),
    msg(
        OUT_MSG,
        "Example: curl http://[2001:db8::1]:8080/ — 2001:db8::/32 is reserved for documentation.",
        "[2001:db8::1]:8080",
        "2001:db8::/32",
    ),
    msg(
        IN_MSG,
        "Upgrading from v10.4.2.1 to v10.4.3.0 fixed the memory leak.",
        "v10.4.2.1",
        "v10.4.3.0",
    ),
    msg(
        PROMPT,
        "Chrome/124.0.6367.91 on Windows NT 10.0.22631 reproduces it.",
        "Chrome/124.0.6367.91",
        "10.0.22631",
    ),
    msg(
        PROMPT,
        "The OIDs 1.3.6.1.4.1.311.21.8 and 1.2.840.113549.1.1.11 show up in the certificate.",
        "1.3.6.1.4.1.311.21.8",
        "1.2.840.113549.1.1.11",
    ),
    msg(
        "input.value",
        "Version 3.2.1.4 ist installiert, Version 3.2.1.5 kommt am 18.04.2026.",
        "Version 3.2.1.4",
        "Version 3.2.1.5",
        "18.04.2026",
    ),
    msg(
        PROMPT,
        "The pods restarted at 12:45:30 and 12:46:02; crate::capture::redaction and "
        "std::vector show up in the backtrace.",
        "12:45:30",
        "crate::capture::redaction",
        "std::vector",
    ),
    msg(
        PROMPT,
        "Cert fingerprint (SHA1) 3F:A2:9C:11:0B:7D:E4:55:6A:21:90:CB:DE:4F:71:08:2A:6E:93"
        ":C1 matches the pinned one.",
        "3F:A2:9C:11:0B:7D:E4:55:6A:21:90:CB:DE:4F:71:08:2A:6E:93:C1",
    ),
    msg(IN_MSG, "Aspect ratio 16:9, timecode 01:02:03:04 at 25 fps.", "16:9", "01:02:03:04"),
    msg(
        PROMPT,
        "Pi is 3.14159, the build is 2026.04.18.3 and we pin schema version 1.0.0.0.",
        "3.14159",
        "2026.04.18.3",
        "version 1.0.0.0",
    ),
    msg(
        OUT_MSG,
        "Loopback is anything in 127.0.0.0/8, e.g. 127.0.1.1 on Debian hosts.",
        "127.0.0.0/8",
        "127.0.1.1",
    ),
    msg(
        COMPLETION,
        "Le serveur de test écoute sur 203.0.113.50 (plage de documentation).",
        "203.0.113.50",
    ),
    msg(
        IN_MSG,
        "Meet at 48.8584, 2.2945 or at 40.6892, -74.0445.",
        "48.8584, 2.2945",
        "40.6892, -74.0445",
    ),
    msg(
        PROMPT,
        "docker ps shows 0.0.0.0:8080->80/tcp and :::8080->80/tcp for the web container.",
        "0.0.0.0:8080->80/tcp",
        ":::8080->80/tcp",
    ),
    msg(
        IN_MSG,
        "The SDK release v1.2.3.4 broke the retry logic; v1.2.3.5 fixes it.",
        "v1.2.3.4",
        "v1.2.3.5",
    ),
    msg(PROMPT, "Key usage is defined in section 4.2.1.3 of RFC 5280.", "section 4.2.1.3"),
    args(
        TOOL_ARGS,
        {"bind": "0.0.0.0", "port": 4318, "advertise": "127.0.0.1"},
        "0.0.0.0",
        "127.0.0.1",
    ),
    args(
        TOOL_ARGS,
        {
            "allowlist": ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"],
            "note": "documentation ranges for the example config",
        },
        "192.0.2.0/24",
        "198.51.100.0/24",
        "203.0.113.0/24",
    ),
    args(
        TOOL_RESULT,
        {"ipv6_example": "2001:db8:85a3::8a2e:370:7334", "loopback": "::1"},
        "2001:db8:85a3::8a2e:370:7334",
        "::1",
    ),
    args(
        TOOL_RESULT,
        {"version": "4.18.2.0", "min_supported_version": "4.16.0.0"},
        "4.18.2.0",
        "4.16.0.0",
    ),
    args(
        TOOL_ARGS, {"oid": "1.3.6.1.4.1.311.60.2.1.3", "cert": "leaf"}, "1.3.6.1.4.1.311.60.2.1.3"
    ),
    args(
        GENAI_ARGS,
        {"timestamp": "2026-04-18T12:45:30.123Z", "offset": "+02:00"},
        "2026-04-18T12:45:30.123Z",
    ),
    args(
        TOOL_ARGS,
        {"user_agent": "python-httpx/0.27.0 opentelemetry-sdk/1.24.0"},
        "python-httpx/0.27.0 opentelemetry-sdk/1.24.0",
    ),
    js(
        "output.value",
        {"listen": "[::]:8443", "upstream": "http://127.0.0.1:9000"},
        "[::]:8443",
        "http://127.0.0.1:9000",
    ),
    js(GENAI_ARGS, {"host": "203.0.113.9", "note": "documentation address"}, "203.0.113.9"),
    js(
        "input.value",
        chat(
            "why does ping 0.0.0.0 work on linux but not on windows?", "You are a networking tutor."
        ),
        "ping 0.0.0.0",
    ),
    js(
        "llm.input_messages",
        oi_messages(
            ("user", "Assembly version 1.2.3.4 and file version 1.2.3.4567 differ, is that ok?")
        ),
        "Assembly version 1.2.3.4",
        "1.2.3.4567",
    ),
    js(
        "gen_ai.input.messages",
        genai_messages(("user", "Paths like tokio::sync::mpsc and std::io::Error fill the log.")),
        "tokio::sync::mpsc",
        "std::io::Error",
    ),
    js(
        "output.value",
        {"uptime": "12:04:55", "window": "09:00-17:30", "kernel": "5.15.0-105-generic"},
        "12:04:55",
        "09:00-17:30",
        "5.15.0-105-generic",
    ),
    attr("server.address", "127.0.0.1"),
    attr("server.address", "0.0.0.0"),
    attr("client.address", "::1"),
    attr("url.full", "http://198.51.100.14:8080/api/v1/traces", "198.51.100.14"),
    attr("service.version", "2.14.0.3"),
    attr("telemetry.sdk.version", "1.24.0"),
    attr("tls.certificate.oid", "1.2.840.113549.1.1.11"),
    attr("network.peer.address", "2001:db8:3333:4444:5555:6666:7777:8888"),
]

NEGATIVES: dict[str, list[T]] = {
    "email": EMAIL,
    "phone": PHONE,
    "card": CARD,
    "iban": IBAN,
    "ip": IP,
    "ssn": SSN,
    "jwt": JWT,
    "secret_key": SECRET_KEY,
}

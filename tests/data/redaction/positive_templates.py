"""Positive case templates: every ``⟪n⟫`` slot is a sensitive value that must go.

Written to read like real traffic of support, scheduling, refund and coding
agents: values sit next to punctuation, inside quotes, brackets, URLs, SQL and
serialised JSON, in several languages. ``keep`` lists nearby text that a
careful engine leaves alone, often itself a look-alike (order numbers, BICs,
documentation addresses).
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
        "Hi, I never got the confirmation for order ord_84731923. Can you resend it to "
        "⟪0⟫? The old address on file is ⟪1⟫ but I don't use that one anymore.",
        "ord_84731923",
        "Can you resend it to",
        "anymore.",
    ),
    msg(
        OUT_MSG,
        "Thanks, Marta! I've updated the billing contact on invoice INV-2026-004512 to "
        "⟪0⟫. You'll get a copy of the receipt within 10 minutes; if it doesn't arrive, check "
        "the spam folder.",
        "INV-2026-004512",
        "within 10 minutes",
    ),
    msg(
        "input.value",
        "Hallo, bitte schicken Sie die Rechnung an meine neue Adresse (⟪0⟫). "
        "Die alte Mail-Adresse ist nicht mehr aktiv. Danke!",
        "Rechnung",
        "nicht mehr aktiv",
    ),
    msg(
        IN_MSG,
        "Can we move the onboarding call to Thursday 14:30 CET? Please add my colleague "
        "too: ⟪0⟫, and cc ⟪1⟫.",
        "Thursday 14:30 CET",
        "onboarding call",
    ),
    msg(
        PROMPT,
        "The signup test fails with `IntegrityError: duplicate key` when I run it twice. "
        'Fixture user is ⟪0⟫; stack trace below:\n  File "app/users.py", line 88, in '
        "create_user\nAny idea why the unique index on users.email trips?",
        "users.email",
        "app/users.py",
        "line 88",
    ),
    msg(
        IN_MSG,
        "Bonjour, je n'arrive pas à me connecter. Mon identifiant est ⟪0⟫. Pouvez-vous "
        "réinitialiser mon mot de passe ? Merci.",
        "réinitialiser mon mot de passe",
    ),
    msg(
        OUT_MSG,
        "I found two accounts: one under ⟪0⟫ (created 2024-11-02) and one under ⟪1⟫ "
        "(created 2026-01-17). Which one should I merge into?",
        "2024-11-02",
        "2026-01-17",
    ),
    msg(
        "input.value",
        'From: "Okafor, Chidi" <⟪0⟫>\nSubject: Refund for damaged blender\n\n'
        "The blender arrived cracked. Order #112-4839201-5573920, paid 89.99 USD.",
        "Order #112-4839201-5573920",
        "89.99 USD",
    ),
    msg(
        COMPLETION,
        "Done — the invite for the kitchen remodel estimate went to ⟪0⟫, and I "
        "added a reminder 24h before. Anything else?",
        "kitchen remodel estimate",
    ),
    args(
        TOOL_ARGS,
        {
            "customer": {"email": "⟪0⟫", "name": "Priya N."},
            "note": "Customer asked to switch receipts to this address.",
            "order_id": "ord_55120934",
        },
        "ord_55120934",
        "Customer asked to switch receipts to this address.",
    ),
    args(
        TOOL_ARGS,
        {
            "to": ["⟪0⟫"],
            "cc": ["⟪1⟫"],
            "subject": "Your refund for order ord_77410255",
            "body": "Hi, your refund of EUR 84.90 was approved today.",
        },
        "Your refund for order ord_77410255",
        "EUR 84.90",
    ),
    args(GENAI_ARGS, {"query": "email:⟪0⟫ status:active", "limit": 5}, "status:active"),
    args(
        TOOL_ARGS,
        {
            "event": {
                "title": "Kitchen remodel estimate",
                "start": "2026-04-21T09:00:00-07:00",
                "attendees": [
                    {"email": "⟪0⟫", "optional": False},
                    {"email": "⟪1⟫", "optional": True},
                ],
            }
        },
        "Kitchen remodel estimate",
        "2026-04-21T09:00:00-07:00",
    ),
    args(
        TOOL_RESULT,
        {
            "ticket": {
                "subject": "Can't log in",
                "priority": "high",
                "description": "User says reset mails to ⟪0⟫ never arrive. Tried twice.",
            }
        },
        "Can't log in",
        "never arrive",
    ),
    js(
        "input.value",
        chat("please update my email to ⟪0⟫ thanks"),
        "You are a helpful support agent for Northwind.",
        "gpt-4o-mini",
    ),
    js(
        GENAI_ARGS,
        {"recipient": "⟪0⟫", "template": "password_reset", "locale": "de-DE"},
        "password_reset",
        "de-DE",
    ),
    js(
        "output.value",
        {"customer_id": "cus_Q8f2LmZx91Ab", "email": "⟪0⟫", "tier": "gold", "orders": 14},
        "cus_Q8f2LmZx91Ab",
        "gold",
    ),
    js(
        "gen_ai.input.messages",
        genai_messages(("user", "Contacto: ⟪0⟫. ¿Pueden enviarme la factura de marzo?")),
        "factura de marzo",
    ),
    js(
        "llm.input_messages",
        oi_messages(
            ("system", "Extract the contact details."),
            ("user", "Name: Tomasz Wójcik\nEmail: ⟪0⟫\nIssue: double charge"),
        ),
        "double charge",
    ),
    js(
        "output.value",
        {
            "results": [{"id": "u_1042", "email": "⟪0⟫"}, {"id": "u_1043", "email": "⟪1⟫"}],
            "next_cursor": None,
        },
        "u_1042",
        "u_1043",
        ascii=False,
    ),
    attr("user.email", "⟪0⟫"),
    attr("enduser.id", "⟪0⟫"),
    attr(
        "db.statement",
        "SELECT id, plan FROM accounts WHERE email = '⟪0⟫' LIMIT 1",
        "SELECT id, plan FROM accounts WHERE email = ",
        " LIMIT 1",
    ),
    attr(
        "exception.message",
        "DuplicateEmailError: ⟪0⟫ is already registered",
        "DuplicateEmailError:",
        "is already registered",
    ),
    attr(
        "url.full",
        "https://app.northwind.io/invite/accept?email=⟪0⟫&team=ops",
        "https://app.northwind.io/invite/accept?email=",
        "&team=ops",
    ),
    attr("messaging.destination", "mailto:⟪0⟫", "mailto:"),
]

PHONE: list[T] = [
    msg(
        IN_MSG,
        "Hey, it's Dana. Text me at ⟪0⟫ when the technician is on the way — I work "
        "nights so please don't call before 2pm. Ticket HD-44120.",
        "HD-44120",
        "before 2pm",
        slots=("phone_us",),
    ),
    msg(
        IN_MSG,
        "Could you ring me back on ⟪0⟫? I'm usually free after 5. It's about the double "
        "charge on 14/04.",
        "14/04",
        "double charge",
        slots=("phone_uk",),
    ),
    msg(
        "input.value",
        "Rückruf bitte unter ⟪0⟫ (mobil) oder tagsüber unter ⟪1⟫. Es geht um die "
        "Lieferung LS-2026-0418.",
        "LS-2026-0418",
        slots=("phone_de_mobile", "phone_de_land"),
    ),
    msg(
        PROMPT,
        "Bonjour, mon numéro a changé : ⟪0⟫. Merci de mettre à jour le dossier 78-3312 "
        "avant le rendez-vous de jeudi.",
        "dossier 78-3312",
        slots=("phone_fr",),
    ),
    msg(
        IN_MSG,
        "Delivery agent couldn't reach me. My alternate number is ⟪0⟫, please share with "
        "the courier. AWB 7834 1290 5512.",
        "AWB 7834 1290 5512",
        slots=("phone_in",),
    ),
    msg(
        OUT_MSG,
        "I've booked you with Dr. Hughes on Tuesday, 22 April at 10:40. We'll text a "
        "reminder to ⟪0⟫ the day before; reply C to confirm.",
        "22 April at 10:40",
        slots=("phone_us",),
    ),
    msg(
        PROMPT,
        "The SMS provider keeps rejecting the send with error 21211 for ⟪0⟫ — is the "
        "formatting wrong? I'm passing it straight from the form field.",
        "error 21211",
        slots=("phone_us_e164",),
    ),
    msg(
        IN_MSG,
        "Hola, soy Lucía. Mi teléfono es ⟪0⟫, llamadme por la tarde. Pedido 5521-AB.",
        "Pedido 5521-AB",
        slots=("phone_es",),
    ),
    msg(
        COMPLETION,
        "Perfetto, la richiamiamo al numero ⟪0⟫ entro le 18:00. Il numero della "
        "pratica è 2026/0412.",
        "2026/0412",
        slots=("phone_it",),
    ),
    args(
        TOOL_ARGS,
        {"customer": {"phone": "⟪0⟫", "preferred_channel": "sms"}, "order_id": "ord_30917744"},
        "ord_30917744",
        "sms",
    ),
    args(
        TOOL_ARGS,
        {"to": "⟪0⟫", "body": "Your table for 4 at 19:30 is confirmed. Reply STOP to opt out."},
        "Your table for 4 at 19:30 is confirmed.",
        slots=("phone_uk_mobile",),
    ),
    args(
        TOOL_RESULT,
        {"contact": {"mobile": "⟪0⟫", "landline": "⟪1⟫"}, "source": "crm"},
        "crm",
        slots=("phone_uk_mobile", "phone_uk_landline"),
    ),
    args(
        GENAI_ARGS,
        {"note": "Caller asked for callback at ⟪0⟫ re: invoice INV-2026-004519", "priority": 2},
        "INV-2026-004519",
    ),
    args(
        TOOL_ARGS,
        {
            "appointment": {
                "patient_ref": "PT-88213",
                "reminder_phone": "⟪0⟫",
                "slot": "2026-05-02T08:15:00+02:00",
            }
        },
        "PT-88213",
        "2026-05-02T08:15:00+02:00",
        slots=("phone_de",),
    ),
    js(
        "input.value",
        chat("my number is ⟪0⟫ can u call me about the missing parcel"),
        "missing parcel",
    ),
    js(GENAI_ARGS, {"phone_number": "⟪0⟫", "country": "DE"}, slots=("phone_de_mobile",)),
    js(
        "output.value",
        {"results": [{"name": "B. Jansen", "phone": "⟪0⟫", "city": "Utrecht"}], "total": 1},
        "Utrecht",
        slots=("phone_nl",),
    ),
    js(
        "llm.input_messages",
        oi_messages(
            ("user", "Can the courier call before coming up? Gate code is 4471."),
            ("assistant", "Sure! I'll ask the courier to call ⟪0⟫ on arrival."),
        ),
        "Gate code is 4471",
        slots=("phone_au",),
    ),
    js(
        "gen_ai.output.messages",
        [
            {
                "role": "assistant",
                "parts": [
                    {
                        "type": "tool_call",
                        "name": "create_callback",
                        "arguments": {"phone": "⟪0⟫", "window": "14:00-16:00"},
                    }
                ],
            }
        ],
        "create_callback",
        "14:00-16:00",
        slots=("phone_br",),
    ),
    js(
        "gen_ai.input.messages",
        genai_messages(("user", "明日の配達前に ⟪0⟫ に電話してください。注文番号は 7731 です。")),
        "7731",
        slots=("phone_jp",),
        ascii=False,
    ),
    attr("customer.phone", "⟪0⟫"),
    attr("user.note", "prefers WhatsApp: ⟪0⟫", "prefers WhatsApp:", slots=("phone_intl",)),
    attr(
        "exception.message",
        "InvalidRecipient: ⟪0⟫ is not reachable (carrier code 30003)",
        "carrier code 30003",
    ),
    attr(
        "url.full",
        "https://api.sms-gateway.example.net/v2/lookup/⟪0⟫?fields=carrier",
        "?fields=carrier",
        slots=("phone_us_e164",),
    ),
]

CARD: list[T] = [
    msg(
        IN_MSG,
        "I was charged twice for order ord_61920347. The card is ⟪0⟫. Please refund the "
        "duplicate 49.99 EUR.",
        "ord_61920347",
        "49.99 EUR",
    ),
    msg(
        IN_MSG,
        "Can you update my payment method to ⟪0⟫? The old one ending in 4417 expired.",
        "ending in 4417",
    ),
    msg(
        PROMPT,
        "Checkout returns `card_declined` for ⟪0⟫ in production but the same flow works in "
        "staging. Logs show decline_code=do_not_honor.",
        "card_declined",
        "decline_code=do_not_honor",
    ),
    msg(
        "input.value",
        "Bitte buchen Sie den Betrag von meiner Kreditkarte ⟪0⟫ ab, nicht vom Girokonto.",
        "Kreditkarte",
        "Girokonto",
    ),
    msg(
        OUT_MSG,
        "Got it — I've charged ⟪0⟫ for the upgrade (USD 120.00). Receipt number 2604-1187.",
        "USD 120.00",
        "2604-1187",
    ),
    msg(
        IN_MSG,
        "Two cards on the account: ⟪0⟫ (personal) and ⟪1⟫ (business). Remove the personal "
        "one please.",
        "(personal)",
        "(business)",
    ),
    msg(
        IN_MSG,
        "Ma carte ⟪0⟫ a été débitée deux fois pour la commande 44871. Pouvez-vous vérifier ?",
        "commande 44871",
    ),
    msg(
        IN_MSG,
        "Here's what I typed into the form — name: J. Rivera, card:⟪0⟫, zip 94107. It "
        "says invalid.",
        "zip 94107",
        slots=("card_compact",),
    ),
    msg(
        COMPLETION,
        "The Amex ⟪0⟫ was declined by the issuer; can you try another card or call "
        "the number on the back?",
        "declined by the issuer",
        slots=("card_amex",),
    ),
    args(
        TOOL_ARGS,
        {
            "payment": {"card_number": "⟪0⟫", "amount": 129.0, "currency": "EUR"},
            "order_id": "ord_99231045",
        },
        "ord_99231045",
        "EUR",
    ),
    args(
        GENAI_ARGS,
        {"customer_message": "pls use card ⟪0⟫ for the renewal", "plan": "pro-annual"},
        "pro-annual",
        "for the renewal",
    ),
    args(
        TOOL_ARGS,
        {"cards": [{"pan": "⟪0⟫", "label": "travel"}, {"pan": "⟪1⟫", "label": "groceries"}]},
        "travel",
        "groceries",
    ),
    args(
        TOOL_ARGS,
        {"refund": {"original_payment": "⟪0⟫", "reason": "duplicate", "amount_cents": 4999}},
        "duplicate",
    ),
    args(
        TOOL_RESULT,
        {"query": "SELECT status FROM payments WHERE pan = '⟪0⟫'", "rows": 1},
        "SELECT status FROM payments WHERE pan = ",
        slots=("card_compact",),
    ),
    js(
        "input.value",
        chat("charge ⟪0⟫ for the two tickets please, same as last time"),
        "for the two tickets",
    ),
    js(
        GENAI_ARGS,
        {
            "card": "⟪0⟫",
            "amount": "42.00",
            "idempotency_key": "6b1f0c0e-3c4a-4b57-9d8e-2f5a7c1e9b40",
        },
        "6b1f0c0e-3c4a-4b57-9d8e-2f5a7c1e9b40",
        "42.00",
    ),
    js("output.value", {"status": "declined", "card": "⟪0⟫", "reason_code": "05"}, "declined"),
    js(
        "llm.input_messages",
        oi_messages(("user", "new card: ⟪0⟫\nplease use it for order 20931")),
        "order 20931",
    ),
    js(
        "gen_ai.input.messages",
        genai_messages(("user", "La mia carta è ⟪0⟫, ma il pagamento non va a buon fine.")),
        "il pagamento non va a buon fine",
        ascii=False,
    ),
    attr("payment.card_number", "⟪0⟫", slots=("card_compact",)),
    attr("user.note", "card on file: ⟪0⟫", "card on file:"),
    attr(
        "exception.message",
        "PaymentError: card ⟪0⟫ declined (insufficient_funds)",
        "insufficient_funds",
    ),
    attr("log.message", "retrying charge card=⟪0⟫ attempt=2", "attempt=2", slots=("card_compact",)),
]

IBAN: list[T] = [
    msg(
        "input.value",
        "Bitte überweisen Sie die Erstattung auf mein Konto: ⟪0⟫ (Sparkasse). "
        "Bestellnummer 4471-22.",
        "Bestellnummer 4471-22",
        slots=("iban_de",),
    ),
    msg(
        IN_MSG, "For the refund, my IBAN is ⟪0⟫ and the BIC is COBADEFFXXX. Thanks!", "COBADEFFXXX"
    ),
    msg(
        IN_MSG,
        "Kunt u het bedrag terugstorten op ⟪0⟫? Ten name van R. de Vries.",
        "terugstorten",
        slots=("iban_nl",),
    ),
    msg(
        PROMPT,
        "Voici mon RIB pour le remboursement : IBAN ⟪0⟫ — merci de confirmer la réception.",
        "remboursement",
        slots=("iban_fr",),
    ),
    msg(
        OUT_MSG,
        "I've set up the SEPA mandate for ⟪0⟫. The first debit of 29.00 EUR will be "
        "collected on 1 May.",
        "29.00 EUR",
        "1 May",
    ),
    msg(
        IN_MSG,
        "Salary should go to ⟪0⟫ from next month; the old account ⟪1⟫ is closing.",
        "from next month",
    ),
    msg(
        IN_MSG,
        "Mi cuenta para la devolución es ⟪0⟫. El pedido es el 2026/03/1187.",
        "2026/03/1187",
        slots=("iban_es",),
    ),
    msg(
        COMPLETION,
        "Perfetto: accrediteremo il rimborso su ⟪0⟫ entro 5 giorni lavorativi.",
        "entro 5 giorni lavorativi",
        slots=("iban_it",),
    ),
    msg(
        IN_MSG,
        "Payment reference RF18 5390 0754 7034, please. Pay into ⟪0⟫ (sort code on the invoice).",
        "RF18 5390 0754 7034",
        slots=("iban_gb",),
    ),
    args(
        TOOL_ARGS,
        {"payout": {"iban": "⟪0⟫", "bic": "ABNANL2A", "amount": "150.00", "currency": "EUR"}},
        "ABNANL2A",
        "150.00",
        slots=("iban_nl",),
    ),
    args(
        TOOL_RESULT,
        {
            "supplier": {
                "name": "Holzbau Keller GmbH",
                "bank_account": "⟪0⟫",
                "vat_id": "DE811907980",
            }
        },
        "DE811907980",
        "Holzbau Keller GmbH",
        slots=("iban_de",),
    ),
    args(
        TOOL_ARGS,
        {"note": "Customer wants the refund to ⟪0⟫ instead of the card", "ticket": "CS-20931"},
        "CS-20931",
    ),
    args(
        GENAI_ARGS,
        {
            "sepa_mandate": {
                "debtor_iban": "⟪0⟫",
                "mandate_ref": "MNDT-2026-000412",
                "creditor_id": "DE98ZZZ09999999999",
            }
        },
        "MNDT-2026-000412",
        "DE98ZZZ09999999999",
    ),
    args(
        TOOL_ARGS,
        {"accounts": [{"iban": "⟪0⟫", "primary": True}, {"iban": "⟪1⟫", "primary": False}]},
        slots=("iban_ch", "iban_at"),
    ),
    js(
        GENAI_ARGS,
        {"iban": "⟪0⟫", "amount_eur": 84.5, "reference": "RF18539007547034"},
        "RF18539007547034",
    ),
    js(
        "output.value",
        {"account": {"holder": "M. Rossi", "iban": "⟪0⟫", "status": "verified"}},
        "verified",
        slots=("iban_it",),
    ),
    js(
        "input.value",
        chat("refund pls to ⟪0⟫, order 55812", "You handle refunds for Northwind."),
        "order 55812",
    ),
    js(
        "gen_ai.input.messages",
        genai_messages(("user", "Hier meine Bankverbindung: ⟪0⟫, Kontoinhaber Jonas Weber.")),
        "Kontoinhaber",
        slots=("iban_de",),
    ),
    js(
        "llm.input_messages",
        oi_messages(("user", "IBAN: ⟪0⟫\nBIC: BPOTBEB1\nthanks")),
        "BPOTBEB1",
        slots=("iban_be",),
    ),
    attr("billing.iban", "⟪0⟫"),
    attr("user.note", "refund to ⟪0⟫ (not the card)", "(not the card)"),
    attr(
        "exception.message",
        "SepaValidationError: mandate for ⟪0⟫ rejected: AC04 account closed",
        "AC04 account closed",
    ),
    attr("payout.destination", "⟪0⟫"),
]

IP: list[T] = [
    msg(
        IN_MSG,
        "I keep getting 'access denied' when logging in from the office. Our public IP is "
        "⟪0⟫ — can you add it to the allowlist? The VPN one (⟪1⟫) works fine.",
        "access denied",
        "allowlist",
        slots=("ipv4", "ipv4"),
    ),
    msg(
        PROMPT,
        "nginx logs show a flood from ⟪0⟫ hitting /api/v1/login, about 300 req/s. Should I "
        "block it at the LB or in the app?",
        "/api/v1/login",
        "300 req/s",
        slots=("ipv4",),
    ),
    msg(
        IN_MSG,
        "My router shows the WAN address as ⟪0⟫. Is that why the smart plug can't connect?",
        "smart plug",
        slots=("ipv6",),
    ),
    msg(
        "input.value",
        "Seit heute Morgen kann ich mich nicht anmelden. Meine IP-Adresse laut Router: ⟪0⟫.",
        "IP-Adresse laut Router",
        slots=("ipv4",),
    ),
    msg(
        OUT_MSG,
        "I see three failed sign-ins from ⟪0⟫ at 03:12 UTC, which isn't your usual "
        "location. I've locked the account; please reset your password.",
        "03:12 UTC",
    ),
    msg(
        PROMPT,
        "The example in the docs uses 203.0.113.10, but our real gateway is ⟪0⟫. Traffic "
        "from 127.0.0.1 is just the health check.",
        "203.0.113.10",
        "127.0.0.1",
    ),
    msg(
        IN_MSG,
        "The printer is at ⟪0⟫ on the office LAN, and the NAS at ⟪1⟫. Both stopped "
        "responding after the firmware update to 4.2.0.",
        "4.2.0",
        slots=("ipv4_private", "ipv4_private"),
    ),
    msg(
        PROMPT,
        "curl -v http://[⟪0⟫]:8443/health times out but the same call works over IPv4.",
        "]:8443/health",
        slots=("ipv6",),
    ),
    msg(
        COMPLETION,
        "Votre dernière connexion provient de l'adresse ⟪0⟫ (Lyon). Si ce n'était pas "
        "vous, changez votre mot de passe.",
        "dernière connexion",
    ),
    args(
        TOOL_ARGS,
        {"rule": {"action": "allow", "source_ip": "⟪0⟫", "port": 443}, "comment": "office egress"},
        "office egress",
        slots=("ipv4",),
    ),
    args(
        TOOL_RESULT,
        {
            "client": {
                "ip": "⟪0⟫",
                "user_agent": "Mozilla/5.0 (Windows NT 10.0; "
                "Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 "
                "Safari/537.36",
            }
        },
        "Chrome/124.0.6367.91",
        "AppleWebKit/537.36",
    ),
    args(
        GENAI_ARGS,
        {"query": "failed logins from ⟪0⟫ last 24h", "index": "auth-logs"},
        "auth-logs",
        "last 24h",
    ),
    args(
        TOOL_ARGS,
        {"peers": ["⟪0⟫", "⟪1⟫"], "protocol": "wireguard"},
        "wireguard",
        slots=("ipv6", "ipv4"),
    ),
    args(
        TOOL_ARGS,
        {"headers": {"X-Forwarded-For": "⟪0⟫, 198.51.100.23", "X-Request-Id": "req_7f3a9c21d4"}},
        "198.51.100.23",
        "req_7f3a9c21d4",
        slots=("ipv4",),
    ),
    js("output.value", {"ip": "⟪0⟫", "country": "PT", "asn": "AS3243", "risk": "low"}, "AS3243"),
    js(GENAI_ARGS, {"ip_address": "⟪0⟫", "include_history": True}, "include_history"),
    js(
        "input.value",
        chat(
            "why is ⟪0⟫ blocked?? it's my home connection", "You are an account security assistant."
        ),
        "my home connection",
    ),
    js(
        "llm.input_messages",
        oi_messages(
            ("user", "Logs:\n⟪0⟫ - - [18/Apr/2026:10:02:11 +0000] GET /cart HTTP/1.1 500 1234")
        ),
        "[18/Apr/2026:10:02:11 +0000] GET /cart HTTP/1.1 500 1234",
        slots=("ipv4",),
    ),
    js(
        "gen_ai.input.messages",
        genai_messages(
            ("user", "Our server listens on [::]:8080 and the client is ⟪0⟫, why no route?")
        ),
        "[::]:8080",
        slots=("ipv6",),
    ),
    attr("client.address", "⟪0⟫"),
    attr("http.request.header.x-forwarded-for", "⟪0⟫, ⟪1⟫", slots=("ipv4", "ipv4_private")),
    attr("net.peer.ip", "⟪0⟫", slots=("ipv6",)),
    attr(
        "exception.message",
        "ConnectTimeout: could not reach ⟪0⟫:5432 after 3 attempts",
        ":5432 after 3 attempts",
        slots=("ipv4_private",),
    ),
]

SSN: list[T] = [
    msg(
        IN_MSG,
        "For the background check form they asked for my SSN, it's ⟪0⟫. Is it safe to "
        "send it here?",
        "background check",
    ),
    msg(
        OUT_MSG,
        "Thanks. I've attached SSN ⟪0⟫ to the W-9 for vendor V-10442; the 1099 will be "
        "issued in January.",
        "V-10442",
        "W-9",
        "1099",
    ),
    msg(
        IN_MSG,
        "Mi número de seguro social es ⟪0⟫ y necesito el formulario W-2 de 2025.",
        "formulario W-2 de 2025",
    ),
    msg(
        "input.value",
        "New hire paperwork: Jordan Ellis, start date 2026-05-04, SSN ⟪0⟫, direct "
        "deposit form pending.",
        "2026-05-04",
        "direct deposit form pending",
    ),
    msg(
        IN_MSG,
        "my social is ⟪0⟫ (with spaces, sorry) - the portal won't accept it",
        "the portal won't accept it",
        slots=("ssn_spaced",),
    ),
    msg(
        IN_MSG,
        "Both of us need to be on the return: mine is ⟪0⟫ and my wife's is ⟪1⟫.",
        "on the return",
    ),
    msg(
        PROMPT,
        "The validator rejects ⟪0⟫ even though it's a real SSN. Regex is "
        "^\\d{3}-\\d{2}-\\d{4}$ — what am I missing?",
        "^\\d{3}-\\d{2}-\\d{4}$",
    ),
    msg(
        IN_MSG,
        "SSN: ⟪0⟫ (no dashes, that's how the payroll export has it)",
        "payroll export",
        slots=("ssn_plain",),
    ),
    msg(
        COMPLETION,
        "I've verified the applicant. Social Security number ⟪0⟫ matches the name on "
        "file, so the lease application APP-55102 can move to underwriting.",
        "APP-55102",
    ),
    args(
        TOOL_ARGS,
        {"applicant": {"ssn": "⟪0⟫", "consent_given": True}, "check_type": "employment"},
        "employment",
    ),
    args(
        GENAI_ARGS,
        {"tax_form": {"type": "W-9", "tin": "⟪0⟫", "tin_type": "SSN"}, "vendor_id": "V-20871"},
        "V-20871",
    ),
    args(
        TOOL_ARGS,
        {"note": "Caller verified identity, then read out the full SSN ⟪0⟫", "agent": "tier2"},
        "tier2",
    ),
    args(TOOL_ARGS, {"search": {"ssn": "⟪0⟫"}, "fields": ["name", "status"]}),
    args(
        TOOL_RESULT,
        {"employee": {"id": "E-3391", "tax_id": "⟪0⟫"}, "payroll_run": "2026-04-30"},
        "E-3391",
        "2026-04-30",
        slots=("ssn_plain",),
    ),
    js(
        "input.value",
        chat("ssn is ⟪0⟫, dob on the form", "You help customers file taxes."),
        "You help customers file taxes.",
    ),
    js(GENAI_ARGS, {"ssn": "⟪0⟫", "consent": True}, "consent"),
    js("output.value", {"match": True, "ssn": "⟪0⟫", "score": 0.97}, "0.97"),
    js(
        "llm.input_messages",
        oi_messages(("user", "SSN ⟪0⟫ for the credit check please")),
        "for the credit check",
    ),
    js(
        "gen_ai.output.messages",
        genai_messages(("assistant", "I have your SSN as ⟪0⟫; please confirm before I submit.")),
        "please confirm before I submit",
    ),
    attr("customer.ssn", "⟪0⟫"),
    attr("user.note", "SSN ⟪0⟫ verified by phone", "verified by phone"),
    attr("db.statement", "UPDATE employees SET ssn = '⟪0⟫' WHERE id = 3391", "WHERE id = 3391"),
    attr(
        "exception.message",
        "ValidationError: tin ⟪0⟫ does not match name on file",
        "does not match name on file",
    ),
]

JWT: list[T] = [
    msg(
        PROMPT,
        "Our API returns 401 even with a fresh token. Here's the header I'm sending: "
        "Authorization: Bearer ⟪0⟫ — the exp looks fine to me.",
        "Authorization: Bearer",
        "401",
    ),
    msg(
        IN_MSG,
        "I decoded the id_token ⟪0⟫ on my machine and the aud claim is wrong, shouldn't "
        "it be the client id?",
        "aud claim",
    ),
    msg(
        PROMPT,
        "After refresh I get two tokens, old ⟪0⟫ and new ⟪1⟫, and both still work. Is "
        "revocation broken?",
        "revocation broken",
    ),
    msg(
        OUT_MSG,
        "That token (⟪0⟫) expired at 2026-04-18T09:00:00Z, which is why the webhook "
        "fails. Please request a new one.",
        "2026-04-18T09:00:00Z",
    ),
    msg(
        "input.value",
        "Der Login klappt nicht, Token: ⟪0⟫. Fehlermeldung: invalid_signature.",
        "invalid_signature",
    ),
    msg(
        IN_MSG,
        "Devtools shows the cookie as session=⟪0⟫; Path=/; HttpOnly. Is HttpOnly why my "
        "JS can't read it?",
        "; Path=/; HttpOnly",
    ),
    msg(
        COMPLETION,
        'Use it like this:\n\ncurl -H "Authorization: Bearer ⟪0⟫" '
        "https://api.fabrikam.io/v1/me\n\nand you should get a 200.",
        "https://api.fabrikam.io/v1/me",
    ),
    args(
        TOOL_ARGS,
        {
            "headers": {"Authorization": "Bearer ⟪0⟫", "Accept": "application/json"},
            "url": "https://api.internal.acme.dev/v2/orders",
        },
        "application/json",
        "https://api.internal.acme.dev/v2/orders",
    ),
    args(GENAI_ARGS, {"token": "⟪0⟫", "verify_signature": False}),
    args(
        TOOL_RESULT,
        {"auth": {"access_token": "⟪0⟫", "token_type": "Bearer", "expires_in": 3600}},
        "Bearer",
    ),
    args(TOOL_ARGS, {"debug_note": "user pasted ⟪0⟫ into chat", "severity": "low"}, "into chat"),
    args(
        TOOL_ARGS,
        {"request": {"method": "POST", "path": "/graphql", "cookies": {"jwt": "⟪0⟫"}}},
        "/graphql",
    ),
    js(GENAI_ARGS, {"jwt": "⟪0⟫", "audience": "billing-api"}, "billing-api"),
    js(
        "output.value",
        {"access_token": "⟪0⟫", "refresh_token": "⟪1⟫", "token_type": "bearer"},
        "bearer",
    ),
    js(
        "input.value",
        chat("is this token expired? ⟪0⟫", "You are a developer support bot."),
        "You are a developer support bot.",
    ),
    js("llm.input_messages", oi_messages(("user", "Bearer ⟪0⟫\nwhy 403?")), "why 403?"),
    js(
        "gen_ai.input.messages",
        genai_messages(("user", "Le jeton ⟪0⟫ est refusé par la passerelle.")),
        "est refus",
    ),
    attr("http.request.header.authorization", "Bearer ⟪0⟫", "Bearer"),
    attr(
        "url.full",
        "https://app.acme.dev/callback?id_token=⟪0⟫&state=af0ifjsldkj",
        "&state=af0ifjsldkj",
    ),
    attr("user.note", "token ⟪0⟫"),
    attr(
        "exception.message",
        "ExpiredSignatureError: Signature has expired for token ⟪0⟫",
        "ExpiredSignatureError",
    ),
    attr("http.request.header.cookie", "theme=dark; session=⟪0⟫; lang=en", "theme=dark", "lang=en"),
]

SECRET_KEY: list[T] = [
    msg(
        PROMPT,
        "Here's my config, the call still returns 401: OPENAI_API_KEY=⟪0⟫ and base_url "
        "points at the proxy. What am I doing wrong?",
        "OPENAI_API_KEY=",
        slots=("sk_proj",),
    ),
    msg(
        IN_MSG,
        "I accidentally committed ⟪0⟫ to the public repo 20 minutes ago. How do I rotate "
        "it and purge it from history?",
        "20 minutes ago",
        slots=("ghp",),
    ),
    msg(
        PROMPT,
        "The deploy job fails with InvalidClientTokenId. It's using access key ⟪0⟫ — was "
        "it deactivated?",
        "InvalidClientTokenId",
        slots=("akia",),
    ),
    msg(
        IN_MSG,
        "Slack bot stopped posting. Token is ⟪0⟫, scopes chat:write and channels:read. "
        "Error: not_in_channel.",
        "chat:write",
        "not_in_channel",
        slots=("xoxb",),
    ),
    msg(
        PROMPT,
        "Payments fail after we switched keys to ⟪0⟫. The restricted key ⟪1⟫ works though.",
        "restricted key",
        slots=("stripe_sk", "stripe_rk"),
    ),
    msg(
        IN_MSG,
        "Maps autocomplete returns REQUEST_DENIED with key ⟪0⟫. Billing is enabled.",
        "REQUEST_DENIED",
        slots=("aiza",),
    ),
    msg(
        PROMPT,
        "CI can't pull the private package: git clone with ⟪0⟫ as password gives 403.",
        "as password gives 403",
        slots=("glpat",),
    ),
    msg(
        "input.value",
        "Mein Token ⟪0⟫ funktioniert seit gestern nicht mehr, können Sie prüfen warum?",
        "seit gestern",
        slots=("github_pat",),
    ),
    msg(
        OUT_MSG,
        "Please don't share secrets here — I noticed ⟪0⟫ in your message. Revoke it in "
        "your dashboard and create a new one.",
        "Revoke it in your dashboard",
        slots=("sk_ant",),
    ),
    msg(
        IN_MSG,
        "old key: ⟪0⟫\nnew key: ⟪1⟫\nwhich one should the worker use?",
        "which one should the worker use?",
        slots=("sk_legacy", "sk_proj"),
    ),
    args(
        TOOL_ARGS,
        {"env": {"OPENAI_API_KEY": "⟪0⟫", "LOG_LEVEL": "debug"}, "command": "python run_eval.py"},
        "python run_eval.py",
        "debug",
        slots=("sk_legacy",),
    ),
    args(
        TOOL_ARGS,
        {"aws": {"access_key_id": "⟪0⟫", "region": "eu-central-1"}, "bucket": "ratchet-artifacts"},
        "eu-central-1",
        "ratchet-artifacts",
        slots=("akia",),
    ),
    args(
        GENAI_ARGS,
        {"slack": {"token": "⟪0⟫", "channel": "C05QW8ZK2TL"}, "text": "Deploy finished"},
        "C05QW8ZK2TL",
        "Deploy finished",
        slots=("xoxp",),
    ),
    args(
        TOOL_ARGS,
        {"repo": "acme/billing", "auth": "⟪0⟫", "ref": "main"},
        "acme/billing",
        slots=("ghp",),
    ),
    args(
        TOOL_RESULT,
        {"payment_provider": {"secret": "⟪0⟫", "webhook_tolerance_s": 300}},
        slots=("stripe_sk",),
    ),
    args(
        TOOL_ARGS,
        {"snippet": 'client = Client(api_key="⟪0⟫")', "language": "python"},
        "client = Client(api_key=",
        slots=("sk_proj",),
    ),
    js(
        GENAI_ARGS,
        {"api_key": "⟪0⟫", "model": "text-embedding-3-small"},
        "text-embedding-3-small",
        slots=("sk_proj",),
    ),
    js(
        "input.value",
        chat("why does ⟪0⟫ give 'invalid key'??", "You are a developer support bot."),
        "invalid key",
    ),
    js(
        "output.value",
        {
            "path": ".env",
            "content": "DATABASE_URL=postgres://app@db:5432/app\nGITLAB_TOKEN=⟪0⟫\nDEBUG=false",
        },
        "DEBUG=false",
        "GITLAB_TOKEN=",
        slots=("glpat",),
    ),
    js(
        "llm.input_messages",
        oi_messages(("user", "aws configure keeps saying the key ⟪0⟫ is invalid")),
        "aws configure",
        slots=("akia",),
    ),
    js(
        "gen_ai.input.messages",
        genai_messages(("user", "GOOGLE_API_KEY=⟪0⟫ not working")),
        "GOOGLE_API_KEY=",
        slots=("aiza",),
    ),
    attr("http.request.header.x-api-key", "⟪0⟫"),
    attr("user.note", "old key ⟪0⟫ revoked", "revoked"),
    attr(
        "exception.message",
        "AuthenticationError: Incorrect API key provided: ⟪0⟫.",
        "Incorrect API key provided:",
        slots=("sk_legacy",),
    ),
    attr("process.command_args", "deploy --token ⟪0⟫ --env prod", "--env prod", slots=("xoxb",)),
]

POSITIVES: dict[str, list[T]] = {
    "email": EMAIL,
    "phone": PHONE,
    "card": CARD,
    "iban": IBAN,
    "ip": IP,
    "ssn": SSN,
    "jwt": JWT,
    "secret_key": SECRET_KEY,
}

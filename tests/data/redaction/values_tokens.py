"""Fake JWTs and secret keys, and neutral ids (trace, span, UUID, git SHA) that are kept."""

from __future__ import annotations

import base64
import json
import string
from random import Random

from value_basics import ALNUM, HEX, URLSAFE, pick, rand_digits

# --------------------------------------------------------------------- JWTs


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64json(obj: object) -> str:
    return _b64url(json.dumps(obj, separators=(",", ":")).encode())


def jwt(rng: Random) -> str:
    alg, sig_len = rng.choice([("HS256", 32), ("RS256", 256), ("ES256", 64), ("HS512", 64)])
    header: dict[str, str] = rng.choice(
        [
            {"alg": alg, "typ": "JWT"},
            {"typ": "JWT", "alg": alg},
            {"alg": alg, "kid": pick(rng, ALNUM, 12), "typ": "JWT"},
            {"alg": alg},
        ]
    )
    iat = rng.randint(1_760_000_000, 1_780_000_000)
    payload: dict[str, object] = {
        "sub": rng.choice([f"usr_{pick(rng, ALNUM, 14)}", str(rng.randint(10**6, 10**9))]),
        "iat": iat,
        "exp": iat + rng.choice([900, 3600, 86400]),
    }
    if rng.random() < 0.6:
        payload["iss"] = rng.choice(
            ["https://auth.northwind.io/", "https://login.fabrikam.io", "acme-idp"]
        )
        payload["aud"] = rng.choice(["billing-api", "web", "mobile-app"])
    if rng.random() < 0.4:
        payload["scope"] = rng.choice(["orders:read orders:write", "openid profile", "admin"])
    signature = bytes(rng.getrandbits(8) for _ in range(sig_len))
    return f"{_b64json(header)}.{_b64json(payload)}.{_b64url(signature)}"


def b64_triplet(rng: Random) -> str:
    """Three base64url segments joined by dots, none of which decodes to a JSON header."""
    while True:
        parts = [
            _b64url(bytes(rng.getrandbits(8) for _ in range(rng.randint(6, 24)))) for _ in range(3)
        ]
        if not parts[0].startswith("eyJ"):
            return ".".join(parts)


# ----------------------------------------------------------- secret keys


def sk_legacy(rng: Random) -> str:
    return "sk-" + pick(rng, ALNUM, 20) + "T3BlbkFJ" + pick(rng, ALNUM, 20)


def sk_proj(rng: Random) -> str:
    return "sk-proj-" + pick(rng, URLSAFE, 74) + "T3BlbkFJ" + pick(rng, URLSAFE, 74)


def sk_ant(rng: Random) -> str:
    return "sk-ant-api03-" + pick(rng, URLSAFE, 93) + "AA"


def ghp(rng: Random) -> str:
    return rng.choice(["ghp_", "ghp_", "gho_", "ghs_", "ghu_"]) + pick(rng, ALNUM, 36)


def github_pat(rng: Random) -> str:
    return (
        "github_pat_"
        + pick(rng, string.ascii_uppercase + string.digits, 22)
        + "_"
        + pick(rng, ALNUM, 59)
    )


def akia(rng: Random) -> str:
    return rng.choice(["AKIA", "AKIA", "ASIA"]) + pick(rng, string.ascii_uppercase + "234567", 16)


def xoxb(rng: Random) -> str:
    return f"xoxb-{rand_digits(rng, 12)}-{rand_digits(rng, 13)}-{pick(rng, ALNUM, 24)}"


def xoxp(rng: Random) -> str:
    team, user, token = rand_digits(rng, 12), rand_digits(rng, 12), rand_digits(rng, 13)
    return f"xoxp-{team}-{user}-{token}-{pick(rng, HEX, 32)}"


def stripe_sk(rng: Random) -> str:
    return rng.choice(["sk_live_", "sk_live_", "sk_test_"]) + "51" + pick(rng, ALNUM, 97)


def stripe_rk(rng: Random) -> str:
    return "rk_live_" + "51" + pick(rng, ALNUM, 97)


def aiza(rng: Random) -> str:
    return "AIza" + pick(rng, URLSAFE, 35)


def glpat(rng: Random) -> str:
    return "glpat-" + pick(rng, URLSAFE, 20)


def secret_key(rng: Random) -> str:
    maker = rng.choice(
        [
            sk_legacy,
            sk_proj,
            sk_ant,
            ghp,
            github_pat,
            akia,
            xoxb,
            xoxp,
            stripe_sk,
            stripe_rk,
            aiza,
            glpat,
        ]
    )
    return maker(rng)


# ------------------------------------------------------------- neutral ids


def trace_id(rng: Random) -> str:
    return pick(rng, HEX, 32)


def span_id(rng: Random) -> str:
    return pick(rng, HEX, 16)


def uuid4(rng: Random) -> str:
    h = pick(rng, HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{rng.choice('89ab')}{h[17:20]}-{h[20:]}"


def git_sha(rng: Random) -> str:
    return pick(rng, HEX, 40)

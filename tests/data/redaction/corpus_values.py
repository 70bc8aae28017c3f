"""Every fake-value maker of the corpus generator, by the name templates use.

Every maker takes the generator's seeded ``random.Random`` so the corpus is the
same on every run. Values are realistic in shape and checksum (Luhn, mod-97,
SSN ranges, valid phone numbers, decodable JWTs) but invented; look-alikes
break exactly one rule of the spec in README.md so that a correct engine must
keep them.
"""

from __future__ import annotations

from types import ModuleType

import values_contact
import values_financial
import values_tokens
from value_basics import Maker, iban_mod97, luhn_ok

__all__ = ["DEFAULT_MAKER", "MAKERS", "Maker", "iban_mod97", "luhn_ok"]


def _public_makers(module: ModuleType) -> dict[str, Maker]:
    """The module's own public functions of one argument, i.e. its makers."""
    return {
        name: fn
        for name, fn in vars(module).items()
        if callable(fn)
        and not name.startswith("_")
        and getattr(fn, "__module__", None) == module.__name__
        and fn.__code__.co_argcount == 1
        and fn.__code__.co_varnames[0] == "rng"
    }


#: Every maker by the name templates use for it.
MAKERS: dict[str, Maker] = {}
for _module in (values_financial, values_contact, values_tokens):
    MAKERS.update(_public_makers(_module))
MAKERS.update(
    {f"iban_{c.lower()}": values_financial.iban_of(c) for c in values_financial.IBAN_LAYOUTS}
)

#: The maker a template uses when it names none.
ENTITIES = ("email", "phone", "card", "iban", "ip", "ssn", "jwt", "secret_key")
DEFAULT_MAKER = {entity: entity for entity in ENTITIES}

"""``ratchet online-checks``: fixtures' checks on live traffic, configured in ratchet.toml."""

from __future__ import annotations

from typing import Any

import typer

from ratchet.cli import common

app = typer.Typer(
    help="Online checks: deterministic checks on sampled production traces.",
    no_args_is_help=True,
)


@app.command("push")
def push(
    project: common.ProjectOption = None,
) -> None:
    """Store the [[online_checks]] of ratchet.toml (checked first; nothing is stored if one is bad).

    The server applies them to matching production traces as they settle;
    a failed check becomes an online_check_failure signal on the trace.
    """
    from ratchet.core.clock import SystemClock, to_unix_nanos
    from ratchet.core.errors import RatchetError
    from ratchet.gate.config import load_config
    from ratchet.review.online import parse_rule
    from ratchet.store.jobs import OnlineRule, save_rule

    config = load_config()
    if not config.online_checks:
        raise RatchetError(
            "no [[online_checks]] in ratchet.toml: add tables with id, filter and expect"
        )
    rules = []
    for raw in config.online_checks:
        rule_id = str(raw.get("id", ""))
        sample_rate, enabled = _sample_rate(rule_id, raw), _enabled(rule_id, raw)
        for table in ("filter", "expect"):
            if not isinstance(raw.get(table, {}), dict):
                raise RatchetError(
                    f"online check {rule_id!r}: {table} is {raw[table]!r}, not a table;"
                    f" write {table} = {{ key = value }}"
                )
        parsed = parse_rule(rule_id, raw.get("filter"), raw.get("expect"), sample_rate, enabled)
        rules.append(
            OnlineRule(
                id=parsed.id,
                filter=dict(parsed.filter),
                expect=dict(raw["expect"]),
                sample_rate=parsed.sample_rate,
                enabled=parsed.enabled,
                created_ns=to_unix_nanos(SystemClock().now()),
                created_by=common.who(None),
            )
        )
    st = common.store()
    try:
        proj = common.project(st, project or config.project)
        for rule in rules:
            save_rule(st, proj.id, rule)
    finally:
        st.close()
    common.console.print(
        f"stored {len(rules)} online checks: {', '.join(r.id for r in rules)}", markup=False
    )


def _sample_rate(rule_id: str, raw: dict[str, Any]) -> float:
    """The share of matching traces to check, as written (a number), else a one-line error."""
    from ratchet.core.errors import RatchetError

    value = raw.get("sample_rate", 1.0)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RatchetError(
            f"online check {rule_id!r}: sample_rate is {value!r}, not a number;"
            " write a number above 0 and at most 1 (sample_rate = 0.1 checks 10%)"
        )
    return float(value)


def _enabled(rule_id: str, raw: dict[str, Any]) -> bool:
    """Whether the check runs; only true or false (``bool("false")`` would switch it on)."""
    from ratchet.core.errors import RatchetError

    value = raw.get("enabled", True)
    if not isinstance(value, bool):
        raise RatchetError(
            f"online check {rule_id!r}: enabled is {value!r}; write enabled = true or false"
        )
    return value


@app.command("list")
def list_(project: common.ProjectOption = None, as_json: common.JsonOption = False) -> None:
    """The online checks the store holds."""
    from ratchet.store.jobs import list_rules

    st = common.store()
    try:
        rules = list_rules(st, common.project(st, project).id)
    finally:
        st.close()
    if as_json:
        common.emit_json(
            [
                {
                    "id": r.id,
                    "filter": r.filter,
                    "expect": r.expect,
                    "sample_rate": r.sample_rate,
                    "enabled": r.enabled,
                }
                for r in rules
            ]
        )
        return
    if not rules:
        # markup=False: Rich would read "[online_checks]" as a style and print "[]".
        common.console.print(
            "no online checks: add [[online_checks]] to ratchet.toml, then push", markup=False
        )
        return
    import orjson

    common.print_rows(
        ["id", "filter", "sample", "enabled", "expect"],
        [
            [
                r.id,
                orjson.dumps(r.filter).decode(),
                f"{r.sample_rate:g}",
                "yes" if r.enabled else "no",
                orjson.dumps(r.expect).decode(),
            ]
            for r in rules
        ],
    )

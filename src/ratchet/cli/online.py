"""``ratchet online-checks``: fixtures' checks on live traffic, configured in ratchet.toml."""

from __future__ import annotations

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
        parse_rule(
            rule_id,
            raw.get("filter"),
            raw.get("expect"),
            float(raw.get("sample_rate", 1.0)),
            bool(raw.get("enabled", True)),
        )
        rules.append(
            OnlineRule(
                id=rule_id,
                filter={k: str(v) for k, v in (raw.get("filter") or {}).items()},
                expect=dict(raw["expect"]),
                sample_rate=float(raw.get("sample_rate", 1.0)),
                enabled=bool(raw.get("enabled", True)),
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
    common.console.print(f"stored {len(rules)} online checks: {', '.join(r.id for r in rules)}")


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
        common.console.print("no online checks: add [[online_checks]] to ratchet.toml, then push")
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

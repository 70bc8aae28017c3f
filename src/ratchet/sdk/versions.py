"""Version stamping: the attributes an application puts on its OTel Resource.

A regression can only be blamed on a change if every trace says which prompt,
model route, policy… it ran with. The application declares those once, on the
Resource of its TracerProvider, and every span it sends carries them.
"""

from __future__ import annotations

from collections.abc import Mapping

from ratchet.core import ARTIFACT_KINDS, RatchetError, VersionManifest

VERSION_PREFIX = "ratchet.version."


def version_attributes(
    manifest: VersionManifest | Mapping[str, Mapping[str, str]],
) -> dict[str, str]:
    """Resource attributes naming each artifact version a run uses.

    Args:
        manifest: a VersionManifest, or a mapping of artifact kind (prompt,
            model, policy, tool_schema, retrieval_index, memory_rule,
            topology) to artifact name → version.

    Returns:
        ``{"ratchet.version.<kind>.<name>": version}``, plus ``service.version``
        when a VersionManifest carries ``service``. Merge it into the
        attributes given to ``Resource.create``.

    Raises:
        RatchetError: an unknown kind, or an empty name or version.

    Example:
        >>> version_attributes({"prompt": {"refund_system": "v12"}})
        {'ratchet.version.prompt.refund_system': 'v12'}
    """
    attributes: dict[str, str] = {}
    if isinstance(manifest, VersionManifest):
        entries = {kind: getattr(manifest, kind) for kind in ARTIFACT_KINDS}
        if manifest.service is not None:
            attributes["service.version"] = manifest.service
    else:
        entries = dict(manifest)
    for kind, versions in entries.items():
        if kind not in ARTIFACT_KINDS:
            raise RatchetError(
                f"unknown artifact kind {kind!r} in the version manifest:"
                f" use one of {', '.join(ARTIFACT_KINDS)}"
            )
        for name, version in versions.items():
            if not name or not name.strip():
                raise RatchetError(f"an artifact name under {kind!r} is empty")
            if not isinstance(version, str) or not version.strip():
                raise RatchetError(
                    f"artifact {kind}.{name} has no version: give a non-empty string"
                )
            attributes[f"{VERSION_PREFIX}{kind}.{name}"] = version
    return attributes

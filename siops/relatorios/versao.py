"""The program's version, printed in every report's source line."""

from __future__ import annotations


def versao_programa() -> str:
    """The installed version of siops-desktop ("0+fonte" when running from a source tree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("siops-desktop")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+fonte"

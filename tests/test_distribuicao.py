"""What an installation pulls (issue 18): the core needs neither Qt nor the HTTP server.

``pip install "siops-desktop[servidor]"`` must not bring PySide6, and the client must not bring
uvicorn; the metadata of the installed distribution is what pip reads, so it is checked here.
"""

from __future__ import annotations

from importlib.metadata import distribution

from packaging.requirements import Requirement


def _requisitos() -> list[Requirement]:
    return [Requirement(r) for r in distribution("siops-desktop").requires or []]


def _sem_extra(r: Requirement) -> bool:
    return r.marker is None or r.marker.evaluate({"extra": ""})


def _do_extra(r: Requirement, extra: str) -> bool:
    return r.marker is not None and r.marker.evaluate({"extra": extra})


def test_nucleo_nao_exige_qt_nem_servidor_http():
    nucleo = {r.name.lower() for r in _requisitos() if _sem_extra(r)}
    assert "lxml" in nucleo and "cryptography" in nucleo
    assert not nucleo & {"pyside6", "pyside6-essentials", "starlette", "uvicorn"}


def test_extra_servidor_nao_traz_pyside6_e_cliente_nao_traz_uvicorn():
    servidor = {r.name.lower() for r in _requisitos() if _do_extra(r, "servidor")}
    cliente = {r.name.lower() for r in _requisitos() if _do_extra(r, "cliente")}
    assert {"starlette", "uvicorn", "argon2-cffi"} <= servidor
    assert not any(n.startswith("pyside6") for n in servidor)
    assert "pyside6-essentials" in cliente and not cliente & {"starlette", "uvicorn"}


def test_pin_do_pyside6_mantido():
    """ARCHITECTURE "Qt version": 6.12.0 aborts after ~5,000 edits; the pin stays <6.12."""
    (pyside,) = [r for r in _requisitos() if r.name == "PySide6-Essentials"]
    assert str(pyside.specifier) in ("<6.12,>=6.11", ">=6.11,<6.12")


def test_um_so_pacote_de_importacao():
    """Only ``siops`` goes into site-packages (no generic ``app``, ``forms``, ``bench``…)."""
    texto = distribution("siops-desktop").read_text("top_level.txt")
    if texto is not None:  # editable installs may not write it
        assert texto.split() == ["siops"]

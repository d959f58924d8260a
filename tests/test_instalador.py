"""The frozen program (PyInstaller one-folder build) is built and smoke-tested (issue 9), from
the hash-pinned requirements (issue 18, item 7).

``installers/requisitos-congelado.txt`` (made by ``installers/regenerar-requisitos.sh``) pins
every package of the client build to one version and its SHA-256s; ``installers/construir.sh``
installs only those into a fresh venv with ``pip install --require-hashes`` and runs PyInstaller
from it. The fast tests check the file against the dependency closure of ``siops-desktop
[cliente]`` + PyInstaller (read from the installed metadata, no network); the ``slow`` ones
(CI) compare it with what pip itself resolves (``pip install --dry-run --report``) and build
the program with the script. The build goes to a temporary folder; its size is printed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

RAIZ = Path(__file__).resolve().parent.parent
REQUISITOS = RAIZ / "installers" / "requisitos-congelado.txt"
ENTRADA = RAIZ / "installers" / "requisitos-congelado.in"
_FIXADO = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)\s*(?:;[^\\]*)?\\?$")


def _fixados() -> dict[str, tuple[str, list[str]]]:
    """name → (version, sha256 list) of every requirement of the pinned file; fails on any line
    that is not a pin, a hash, a comment or blank (no ranges, URLs, indexes or local paths)."""
    saida: dict[str, tuple[str, list[str]]] = {}
    atual: str | None = None
    for n, bruta in enumerate(REQUISITOS.read_text(encoding="utf-8").splitlines(), 1):
        linha = bruta.strip()
        if not linha or linha.startswith("#"):
            continue
        if linha.startswith("--hash="):
            assert atual is not None, f"linha {n}: hash sem requisito"
            algoritmo, _, valor = linha.removeprefix("--hash=").rstrip(" \\").partition(":")
            assert algoritmo == "sha256" and re.fullmatch(r"[0-9a-f]{64}", valor), f"linha {n}"
            saida[atual][1].append(valor)
            continue
        m = _FIXADO.match(linha)
        assert m, f"linha {n} não é um requisito fixado com ==: {bruta!r}"
        atual = canonicalize_name(m.group(1))
        assert atual not in saida, f"linha {n}: {atual} repetido"
        saida[atual] = (m.group(2), [])
    return saida


def _fecho(raizes: list[Requirement]) -> set[str]:
    """The distributions a pip install of ``raizes`` pulls on this platform, from the metadata
    of what is installed here (extras and environment markers evaluated)."""
    vistos: set[str] = set()
    pendentes = [(r, frozenset(r.extras)) for r in raizes]
    while pendentes:
        req, extras = pendentes.pop()
        nome = canonicalize_name(req.name)
        chave = f"{nome}[{','.join(sorted(extras))}]"
        if chave in vistos:
            continue
        vistos.add(chave)
        for bruto in metadata.requires(req.name) or []:
            dep = Requirement(bruto)
            if dep.marker is not None and not any(
                dep.marker.evaluate({"extra": e}) for e in (extras or {""})
            ):
                continue
            pendentes.append((dep, frozenset(dep.extras)))
    return {v.split("[")[0] for v in vistos}


def _raizes_do_build() -> list[Requirement]:
    projeto = tomllib.loads((RAIZ / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    raizes = [Requirement(f"{projeto['name']}[cliente]")]
    for linha in ENTRADA.read_text(encoding="utf-8").splitlines():
        linha = linha.split("#")[0].strip()
        if linha:
            raizes.append(Requirement(linha))
    return raizes


def test_requisitos_congelados_fixados_por_hash():
    fixados = _fixados()
    assert fixados, "arquivo vazio"
    for nome, (versao, hashes) in fixados.items():
        assert hashes, f"{nome}=={versao} sem --hash"
    texto = REQUISITOS.read_text(encoding="utf-8")
    assert "installers/regenerar-requisitos.sh" in texto.split("\n\n")[0]  # como regenerar
    opcoes = "\n".join(x for x in texto.splitlines() if not x.lstrip().startswith("#"))
    for proibido in ("--index-url", "--extra-index-url", "--find-links", "-e ", "file:"):
        assert proibido not in opcoes, proibido


def test_requisitos_congelados_cobrem_o_cliente_e_respeitam_o_pyproject():
    """Every package the [cliente] install + PyInstaller pulls here is pinned, at a version the
    pyproject (and the .in) accepts; the project itself is not in the file (it is built)."""
    fixados = _fixados()
    raizes = _raizes_do_build()
    projeto = canonicalize_name(raizes[0].name)
    necessarios = _fecho(raizes) - {projeto}
    faltam = sorted(necessarios - set(fixados))
    assert faltam == [], f"faltam em {REQUISITOS.name}: {faltam} (rode regenerar-requisitos.sh)"
    assert projeto not in fixados
    for bruto in metadata.requires(raizes[0].name) or []:
        req = Requirement(bruto)
        nome = canonicalize_name(req.name)
        if nome in fixados and (req.marker is None or req.marker.evaluate({"extra": "cliente"})):
            versao = fixados[nome][0]
            assert req.specifier.contains(versao, prereleases=True), (nome, versao, str(req))
    for req in raizes[1:]:
        nome = canonicalize_name(req.name)
        assert req.specifier.contains(fixados[nome][0], prereleases=True), (nome, str(req))
    # o próprio build não deixa de fora o que congela
    assert {"pyinstaller", "pyside6-essentials", "setuptools", "wheel"} <= set(fixados)


@pytest.mark.slow
def test_requisitos_congelados_cobrem_o_que_o_pip_resolve(tmp_path):
    """What pip itself resolves for ``.[cliente]`` + the .in (dry run, index) is all pinned."""
    relatorio = tmp_path / "relatorio.json"
    r = subprocess.run(
        [
            sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
            "--quiet", "--report", str(relatorio), f"{RAIZ}[cliente]", "-r", str(ENTRADA),
        ],
        capture_output=True, text=True, timeout=1200, cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-4000:]
    instalados = json.loads(relatorio.read_text(encoding="utf-8"))["install"]
    nomes = {canonicalize_name(i["metadata"]["name"]) for i in instalados}
    faltam = sorted(nomes - set(_fixados()) - {canonicalize_name("siops-desktop")})
    assert faltam == [], f"faltam em {REQUISITOS.name}: {faltam}"


def _tamanho(pasta: Path) -> int:
    return sum(p.stat().st_size for p in pasta.rglob("*") if p.is_file())


@pytest.mark.slow
def test_build_congelado_e_autoteste(tmp_path):
    """``installers/construir.sh``: fresh venv, ``pip install --require-hashes``, PyInstaller."""
    r = subprocess.run(
        [
            str(RAIZ / "installers" / "construir.sh"),
            str(tmp_path / "venv"),
            str(tmp_path / "dist"),
        ],
        cwd=RAIZ,
        capture_output=True,
        text=True,
        timeout=2400,
        env={**os.environ, "PYTHON": sys.executable},
    )
    assert r.returncode == 0, r.stderr[-4000:]
    pasta = tmp_path / "dist" / "siops-desktop"
    for nome in ("siops", "siops-console", "siopsnet", "siopsnet-console"):
        assert (pasta / nome).is_file(), nome
    print(f"\ntamanho do build: {_tamanho(pasta) / 2**20:.0f} MiB")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    v = subprocess.run(
        [str(pasta / "siops-console"), "--versao"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert v.returncode == 0 and v.stdout.startswith("siops-desktop "), v.stdout + v.stderr
    a = subprocess.run(
        [str(pasta / "siops-console"), "autoteste"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=tmp_path,
    )
    assert a.returncode == 0, a.stderr
    assert "Autoteste concluído" in a.stderr
    assert "Traceback" not in a.stderr

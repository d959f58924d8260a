"""The ``siops demo`` verb itself: no display → how to run headless (exit 2); a used folder is
refused; and the real verb in a child process (offscreen) brings the server up, opens the
client, and on SIGTERM closes the client and stops the server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

RAIZ = Path(__file__).resolve().parents[2]


def test_sem_tela_explica_como_rodar_e_sai_com_2(monkeypatch, capsys, tmp_path):
    from siops.app.cli import main

    for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(v, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert main(["demo", "--pasta", str(tmp_path / "demo")]) == 2
    erro = capsys.readouterr().err
    assert "QT_QPA_PLATFORM=offscreen ./executar" in erro
    assert "xvfb-run -a ./executar" in erro
    assert "Traceback" not in erro
    assert not (tmp_path / "demo").exists()  # nothing was started
    assert main(["abrir"]) == 2  # the plain client says the same instead of aborting


def test_pasta_usada_e_recusada(monkeypatch, capsys, tmp_path):
    from siops.app.cli import main

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    (tmp_path / "algo.txt").write_text("x", encoding="utf-8")
    assert main(["demo", "--pasta", str(tmp_path)]) == 2
    assert "não está vazia" in capsys.readouterr().err


def test_verbo_demo_abre_e_para_o_servidor_ao_fechar(tmp_path):
    pasta = tmp_path / "demo"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SIOPS_HOME", "SIOPS_DADOS", "SIOPS_TRANSMISSOR_DADOS", "SOFTHSM2_CONF")
    }
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(RAIZ))
    proc = subprocess.Popen(
        [sys.executable, "-m", "siops.app.cli", "demo", "--pasta", str(pasta), "--sem-token"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    linhas: list[str] = []
    leitor = threading.Thread(target=lambda: linhas.extend(proc.stderr), daemon=True)
    leitor.start()
    try:
        fim = time.monotonic() + 120
        while not any("Abrindo o programa" in x for x in linhas):
            assert proc.poll() is None, "".join(linhas)
            assert time.monotonic() < fim, "".join(linhas)
            time.sleep(0.1)
        url = next(
            x.split("Servidor local: ")[1].split()[0] for x in linhas if "Servidor local: " in x
        )
        assert requests.get(f"{url}/saude", timeout=5).ok
        time.sleep(1.5)  # the window is up and the loop runs
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    leitor.join(10)
    proc.stderr.close()
    saida = "".join(linhas)
    assert f"Pasta da demonstração: {pasta}" in saida
    assert "Servidor local encerrado" in saida and "Traceback" not in saida
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/saude", timeout=2)
    assert (pasta / "LEIA-ME.txt").is_file()


def test_sem_servidor_na_instalacao_abre_so_a_declaracao(monkeypatch, capsys, tmp_path):
    """The frozen client carries no server: ``siops demo`` opens only the demo declaration."""
    import siops.app.cliente
    import siops.app.demo_ambiente
    from siops.app.cli import main

    for v in ("SIOPS_HOME", "SIOPS_DADOS", "SIOPS_TRANSMISSOR_DADOS"):
        monkeypatch.delenv(v, raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(siops.app.demo_ambiente, "servidor_disponivel", lambda: False)
    abertos = []
    monkeypatch.setattr(
        siops.app.cliente, "executar", lambda arq=None, ao_abrir=None: abertos.append(arq) or 0
    )
    assert main(["demo", "--pasta", str(tmp_path / "demo")]) == 0
    assert [a.name for a in abertos] == ["M353170_2026_QuintoBimestre.OPS"]
    assert abertos[0].is_relative_to(tmp_path / "demo" / "MS-SIOPS")
    assert "não faz parte desta instalação" in capsys.readouterr().err
    assert not (tmp_path / "demo" / "servidor").exists()

"""Configurações da partida: HTTPS com certificado e chave; SMTP fora do ar (o cadastro é
feito e a falha do e-mail é dita em português); chaves de recibo geradas na primeira partida."""

from __future__ import annotations

import stat

import requests
from cryptography.hazmat.primitives import serialization


def test_https_e_chaves_de_recibo(fabrica_servidor, pki, tmp_path):
    from siops.transmissor import icp_teste

    emitido = icp_teste.emitir_servidor(pki.hier, dns=("localhost",), chave=pki.chaves[0])
    cert = tmp_path / "tls.pem"
    chave = tmp_path / "tls.key"
    cert.write_bytes(b"".join(icp_teste.pem(c) for c in (emitido.cert, pki.hier.intermediaria)))
    chave.write_bytes(
        emitido.chave.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    s = fabrica_servidor(https=True, args=["--certificado", str(cert), "--chave", str(chave)])
    s.iniciar()
    r = requests.get(f"{s.url}/api/v1/certificado", verify=s.verify, timeout=10)
    assert r.status_code == 200 and r.text.startswith("-----BEGIN CERTIFICATE-----")
    # as chaves de recibo foram geradas na primeira partida, a privada só para o dono
    pasta = s.dados / "chaves"
    assert {p.name for p in pasta.iterdir()} >= {"ac-recibos.pem", "recibos.pem", "recibos.key"}
    assert stat.S_IMODE((pasta / "recibos.key").stat().st_mode) == 0o600
    assert (pasta / "ac-recibos.pem").read_text() == r.text
    # e sobrevivem à nova partida (o mesmo certificado)
    s.parar()
    s.iniciar()
    assert requests.get(f"{s.url}/api/v1/certificado", verify=s.verify, timeout=10).text == r.text


def test_smtp_fora_do_ar(fabrica_servidor, pki):
    s = fabrica_servidor(smtp_fora=True)
    s.iniciar()
    chefe, sec, tec = pki.pessoa("chefe-go"), pki.pessoa("sec-go"), pki.pessoa("tec-go")
    assert (
        s.admin(
            "cadastrar-chefe", "--ente", "M520870", "--nome", chefe.nome, "--cpf", chefe.cpf
        ).returncode
        == 0
    )
    assert s.cadastrar(chefe, "M520870", "secretario", sec).status_code == 201
    r = s.cadastrar(sec, "M520870", "tecnico", tec)
    assert r.status_code == 502 and r.json()["codigo"] == "email_nao_enviado"
    assert "foi cadastrado" in r.json()["erro"] and r.json()["cadastro"]["papel"] == "tecnico"
    r = requests.post(f"{s.url}/api/v1/senhas/esqueci", json={"cpf": tec.cpf}, timeout=30)
    assert r.status_code == 502 and "Não foi possível enviar" in r.json()["erro"]


def test_linha_de_comando_em_portugues(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    raiz = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(raiz))

    def rodar(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "siops.servidor", *args],
            cwd=raiz,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    r = rodar("--dados", str(tmp_path / "d"), "--raizes", str(tmp_path / "nao.pem"))
    assert r.returncode == 2 and "o arquivo não existe" in r.stderr
    assert "Traceback" not in r.stderr
    r = rodar("admin", "--dados", str(tmp_path / "d"), "cadastrar-chefe", "--ente", "M355030")
    assert r.returncode == 2 and "faltam os argumentos" in r.stderr
    r = rodar(
        "admin",
        "--dados",
        str(tmp_path / "d"),
        "cadastrar-chefe",
        "--ente",
        "M355030",
        "--nome",
        "Fulano",
        "--cpf",
        "123",
    )
    assert r.returncode == 1 and "CPF inválido" in r.stderr and "Traceback" not in r.stderr
    r = rodar("admin", "--dados", str(tmp_path / "d"), "autorizar-retransmissao", "99")
    assert r.returncode == 1 and "Não há solicitação de retransmissão número 99" in r.stderr

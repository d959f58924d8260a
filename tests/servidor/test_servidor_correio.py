"""O correio em pasta (issue 18, item 4): ``siops-servidor --correio-pasta DIR`` ou
``"correio_pasta"`` no ``servidor.json`` grava cada mensagem como um ``.eml`` na pasta, em vez de
entregá-la a um SMTP — é o correio da demonstração, onde ninguém tem caixa postal.

O servidor é o processo real; o SMTP configurado aponta para uma porta onde nada escuta, de
modo que a senha só pode ter chegado pela pasta.
"""

from __future__ import annotations

import email
import email.policy
import stat

ENTE = "M355030"


def _cadeia(s, pki, sufixo: str):
    chefe, sec, tec = (pki.pessoa(f"{p}-{sufixo}") for p in ("chefe", "sec", "tec"))
    s.cadastrar_chefe(ENTE, chefe)
    r = s.cadastrar(chefe, ENTE, "secretario", sec)
    assert r.status_code == 201, r.text
    r = s.cadastrar(sec, ENTE, "tecnico", tec)
    assert r.status_code == 201, r.text
    assert r.json()["senha_enviada"] is True
    return tec


def test_correio_pasta_na_linha_de_comando_grava_eml(fabrica_servidor, pki, tmp_path):
    from siops.servidor.local import CaixaPasta

    pasta = tmp_path / "correio"
    s = fabrica_servidor(smtp_fora=True, args=["--correio-pasta", str(pasta)])
    s.iniciar()
    tec = _cadeia(s, pki, "pasta")
    arquivos = sorted(pasta.iterdir())
    # Só mensagens completas: nenhum arquivo temporário fica para trás.
    assert arquivos and all(p.suffix == ".eml" and not p.name.startswith(".") for p in arquivos)
    for p in arquivos:  # as mensagens levam senhas: só o dono do processo as lê
        assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, oct(p.stat().st_mode)
    msgs = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in arquivos]
    para_tec = [m for m in msgs if m["To"] == tec.email]
    assert len(para_tec) == 1 and "senha" in para_tec[0]["Subject"]
    assert "Senha:" in para_tec[0].get_content()
    caixa = CaixaPasta(pasta)
    assert caixa.total == len(arquivos)
    senha = caixa.senha_de(tec.cpf)
    assert s.login(tec.cpf, senha).status_code == 201
    # "Esqueceu a senha": a mensagem nova chega depois da marca, com outra senha.
    antes = caixa.total
    r = s.http.post(f"{s.url}/api/v1/senhas/esqueci", json={"cpf": tec.cpf}, timeout=30)
    assert r.status_code in (200, 202), r.text
    nova = caixa.senha_de(tec.cpf, antes)
    assert nova != senha and s.login(tec.cpf, nova).status_code == 201


def test_correio_pasta_no_servidor_json_relativa_aos_dados(fabrica_servidor, pki):
    from siops.servidor.local import CaixaPasta

    s = fabrica_servidor({"correio_pasta": "correio"}, smtp_fora=True)
    s.iniciar()
    tec = _cadeia(s, pki, "json")
    senha = CaixaPasta(s.dados / "correio").senha_de(tec.cpf)
    assert s.login(tec.cpf, senha).status_code == 201


def test_servidor_local_que_nao_parte_diz_por_que(tmp_path):
    """O processo que termina ao partir vira uma mensagem em português com o fim do log."""
    from siops.servidor.local import ErroServidorLocal, ServidorLocal

    s = ServidorLocal(tmp_path / "dados", raizes=[tmp_path / "nao-existe.pem"])
    try:
        s.iniciar(espera=60)
    except ErroServidorLocal as exc:
        texto = str(exc)
    else:
        raise AssertionError("o servidor partiu com uma raiz inexistente")
    finally:
        s.parar()
    assert "terminou ao iniciar" in texto and "o arquivo não existe" in texto, texto
    assert not s.ativo()

"""A aba "Módulo de Gestores" da janela do Transmissor (issue 22), por pytest-qt, contra o
servidor real: a cadeia de cadastro inteira feita pelos próprios gestores na janela."""

from __future__ import annotations

import pytest

from siops.transmissor import cli
from tests.transmissor import gestores_ambiente as ga
from tests.transmissor.gestores_ambiente import ENTE, SENHA_PFX

pessoas = ga.pessoas  # as fixtures do ambiente dos gestores
servidor_gestores = ga.servidor_gestores
copia_cheia = ga.copia_cheia

IGNORAR_QT = [
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the keyboard",
]
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(*IGNORAR_QT)]
ESPERA = 60_000


@pytest.fixture
def janela(qtbot, dados_cliente, servidor_gestores, hierarquia):
    from siops.transmissor.config import Configuracoes
    from siops.transmissor.gui.dialogos import DialogosFalsos
    from siops.transmissor.gui.janela import JanelaTransmissor

    j = JanelaTransmissor(
        dialogos=DialogosFalsos(),
        config=Configuracoes(
            servidor=servidor_gestores.url,
            raizes_icp=[str(hierarquia.raiz_pem)],
            intermediarios_icp=[str(hierarquia.intermediaria_pem)],
        ),
    )
    qtbot.addWidget(j)
    j.show()
    qtbot.waitExposed(j)
    yield j
    j.tarefas.aguardar()
    j.close()


def _clicar(qtbot, botao) -> None:
    from PySide6.QtCore import Qt

    assert botao.isEnabled(), botao.text()
    qtbot.mouseClick(botao, Qt.MouseButton.LeftButton)


def _ultimo(qtbot, j, n_antes: int) -> tuple[str, str, str]:
    """O primeiro diálogo mostrado depois de ``n_antes`` (espera a tarefa terminar)."""
    qtbot.waitUntil(lambda: len(j.dialogos.mostrados) > n_antes, timeout=ESPERA)
    qtbot.waitUntil(lambda: not j.tarefas.ocupado(), timeout=ESPERA)
    return j.dialogos.mostrados[n_antes]


def _entrar_gestor(qtbot, j, pessoa) -> None:
    g = j.gestores
    if g.conectado():
        _clicar(qtbot, g.botao_sair)
        j.tarefas.aguardar()
    g.ente_edit.setText(ENTE)
    g.radio_a1.setChecked(True)
    g.a1_edit.setText(str(pessoa.pfx))
    j.dialogos.senhas.append(SENHA_PFX)
    _clicar(qtbot, g.botao_entrar)
    qtbot.waitUntil(
        lambda: g.conectado() or "Não conectado" not in g.rotulo_sessao.text(), timeout=ESPERA
    )
    qtbot.waitUntil(
        lambda: f"Conectado como {pessoa.nome}" in g.rotulo_sessao.text(), timeout=ESPERA
    )


def _visiveis(j) -> set[tuple[str, str]]:
    return {(a.papel, a.cpf) for a in j.gestores.quadro.ativos}


def _cadastrar(qtbot, j, papel: str, pessoa, email: str | None = None, telefone: str = "") -> str:
    g = j.gestores
    i = g.papel_combo.findData(papel)
    assert i >= 0, [g.papel_combo.itemData(n) for n in range(g.papel_combo.count())]
    g.papel_combo.setCurrentIndex(i)
    g.nome_edit.setText(pessoa.nome)
    g.cpf_edit.setText(pessoa.cpf)
    g.email_edit.setText(email or pessoa.email)
    g.telefone_edit.setText(telefone)
    n = len(j.dialogos.mostrados)
    _clicar(qtbot, g.botao_cadastrar)
    icone, titulo, texto = _ultimo(qtbot, j, n)
    assert (icone, titulo) == ("info", "Cadastro feito"), texto
    qtbot.waitUntil(lambda: (papel, pessoa.cpf) in _visiveis(j), timeout=ESPERA)
    return texto


def _tecnico_entra(qtbot, j, pessoa, senha: str) -> str:
    """O técnico entra na aba Transmissão; devolve o rótulo da sessão ou a recusa."""
    j.abas.setCurrentIndex(0)
    j.cpf_edit.setText(pessoa.cpf)
    j.senha_edit.setText(senha)
    j.rotulo_sessao.setText("")
    n = len(j.dialogos.mostrados)
    _clicar(qtbot, j.botao_entrar)
    qtbot.waitUntil(
        lambda: "Conectado como" in j.rotulo_sessao.text() or len(j.dialogos.mostrados) > n,
        timeout=ESPERA,
    )
    qtbot.waitUntil(lambda: not j.tarefas.ocupado(), timeout=ESPERA)
    j.abas.setCurrentIndex(1)
    if len(j.dialogos.mostrados) > n:
        return j.dialogos.mostrados[n][2]
    return j.rotulo_sessao.text()


def test_cadeia_pela_aba_modulo_de_gestores(
    qtbot, janela, servidor_gestores, pessoas, copia_cheia, monkeypatch
):
    from siops.assinatura.assinador import AssinadorA1
    from siops.transmissor import operacoes
    from siops.transmissor.cliente import ClienteSIOPS, ConfigRede

    j, s, p = janela, servidor_gestores, pessoas
    g = j.gestores
    assert j.abas.tabText(1) == "Módulo de Gestores"
    j.abas.setCurrentIndex(1)

    # o prefeito entra: vê só o próprio cadastro e pode cadastrar substituto e secretário
    _entrar_gestor(qtbot, j, p.prefeito)
    assert _visiveis(j) == {("chefe", p.prefeito.cpf)}
    assert [g.papel_combo.itemText(n) for n in range(g.papel_combo.count())] == [
        "substituto do chefe do Poder Executivo",
        "secretário de saúde",
        "substituto do secretário de saúde",
    ]
    assert g.tabela.item(0, 0).text() == "chefe do Poder Executivo (você)"
    # o prefeito não pode ser o secretário (recusa com o que fazer)
    i = g.papel_combo.findData("secretario")
    g.papel_combo.setCurrentIndex(i)
    g.nome_edit.setText(p.prefeito.nome)
    g.cpf_edit.setText(p.prefeito.cpf)
    g.email_edit.setText(p.prefeito.email)
    n = len(j.dialogos.mostrados)
    _clicar(qtbot, g.botao_cadastrar)
    icone, _t, texto = _ultimo(qtbot, j, n)
    assert icone == "erro" and "não pode ser também o secretário" in texto
    assert "cadastre outra pessoa" in texto
    # ele cadastra a secretária, com telefone
    _cadastrar(qtbot, j, "secretario", p.sec1, telefone="12 3333-4444")
    linha = next(n for n, a in enumerate(g.quadro.ativos) if a.papel == "secretario")
    assert g.tabela.item(linha, 4).text() == "12 3333-4444"

    # a secretária entra: vê a si mesma; cadastra a técnica, que recebe a senha por e-mail
    _entrar_gestor(qtbot, j, p.sec1)
    assert _visiveis(j) == {("secretario", p.sec1.cpf)}
    assert [g.papel_combo.itemData(n) for n in range(g.papel_combo.count())] == ["tecnico"]
    marca = s.caixa.marca()
    texto = _cadastrar(qtbot, j, "tecnico", p.tecnico)
    assert "senha de acesso foi enviada" in texto
    assert _visiveis(j) == {("secretario", p.sec1.cpf), ("tecnico", p.tecnico.cpf)}
    senha = s.caixa.senha_de(p.tecnico.cpf, marca, para=p.tecnico.email)
    # a técnica entra na aba Transmissão com a senha do e-mail
    assert "Conectado como" in _tecnico_entra(qtbot, j, p.tecnico, senha)

    # ALTERAR: a secretária muda o e-mail da técnica (o endereço antigo é avisado)
    novo = "tecnica.nova@saude.exemplo.gov.br"
    linha = next(n for n, a in enumerate(g.quadro.ativos) if a.papel == "tecnico")
    g.tabela.selectRow(linha)
    assert g.contato_email_edit.text() == p.tecnico.email
    g.contato_email_edit.setText(novo)
    marca = s.caixa.marca()
    n = len(j.dialogos.mostrados)
    _clicar(qtbot, g.botao_alterar)
    assert _ultimo(qtbot, j, n)[1] == "Contato alterado"
    s.caixa.esperar(marca, lambda m: p.tecnico.email in m[0] and novo in m[1])
    qtbot.waitUntil(
        lambda: any(a.email == novo for a in g.quadro.ativos if a.papel == "tecnico"),
        timeout=ESPERA,
    )
    # "esqueceu a senha": a senha nova vai para o e-mail novo, e a técnica entra com ela
    g.esqueci_cpf_edit.setText(p.tecnico.cpf)
    marca = s.caixa.marca()
    n = len(j.dialogos.mostrados)
    _clicar(qtbot, g.botao_esqueci)
    assert "e-mail cadastrado" in _ultimo(qtbot, j, n)[2]
    senha = s.caixa.senha_de(p.tecnico.cpf, marca, para=novo)
    assert "Conectado como" in _tecnico_entra(qtbot, j, p.tecnico, senha)

    # a técnica transmite e a secretária homologa; depois a secretária pede a retransmissão
    # na aba e a acompanha até a autorização do Ministério
    copia = copia_cheia(1)
    r = operacoes.transmitir_arquivo(
        copia, AssinadorA1(p.tecnico.pfx, SENHA_PFX), j.cliente, j.fila
    )
    assert r.estado == "transmitido", r.mensagem
    monkeypatch.setenv(cli.ENV_SENHA_PFX, SENHA_PFX)
    codigo = cli.executar(
        [
            "homologar",
            str(copia),
            "--sim",
            "--sem-pdf",
            "--servidor",
            s.url,
            "--a1",
            str(p.sec1.pfx),
        ]
    )
    assert codigo == 0
    g.exercicio_spin.setValue(2025)
    g.bimestre_combo.setCurrentIndex(0)
    g.justificativa_edit.setPlainText("A receita de ISS do bimestre foi lançada em dobro.")
    n = len(j.dialogos.mostrados)
    _clicar(qtbot, g.botao_retransmissao)
    icone, titulo, texto = _ultimo(qtbot, j, n)
    assert (icone, titulo) == ("info", "Retransmissão solicitada"), texto
    ident = g.pedido_spin.value()
    assert ident > 0 and "solicitada" in g.rotulo_retransmissao.text()
    s.admin("autorizar-retransmissao", str(ident))
    _clicar(qtbot, g.botao_acompanhar)
    qtbot.waitUntil(lambda: "autorizada" in g.rotulo_retransmissao.text(), timeout=ESPERA)

    # uma nova secretária: o prefeito a cadastra; a anterior e a técnica perdem o acesso
    _entrar_gestor(qtbot, j, p.prefeito)
    texto = _cadastrar(qtbot, j, "secretario", p.sec2)
    assert "deixou de valer" in texto and "cadastrar de novo o técnico" in texto
    assert ("secretario", p.sec1.cpf) not in _visiveis(j)
    # a sessão da técnica na aba Transmissão é recusada...
    tecnico = ClienteSIOPS(ConfigRede(s.url, tentativas=1))
    tecnico.sessao = j.cliente.sessao
    from siops.transmissor.cliente import SessaoExpirada

    with pytest.raises(SessaoExpirada):
        tecnico.situacao(r.protocolo)
    # ... e entrar de novo também, até ser cadastrada de novo (a recusa diz o que fazer)
    texto = _tecnico_entra(qtbot, j, p.tecnico, senha)
    assert "não está ativo" in texto and "cadastrado de novo" in texto
    # a secretária substituída não entra mais no Módulo de Gestores
    _clicar(qtbot, g.botao_sair)
    j.tarefas.aguardar()
    g.a1_edit.setText(str(p.sec1.pfx))
    j.dialogos.senhas.append(SENHA_PFX)
    n = len(j.dialogos.mostrados)
    _clicar(qtbot, g.botao_entrar)
    icone, _t, texto = _ultimo(qtbot, j, n)
    assert icone == "erro" and "não tem cadastro ativo" in texto and "substituído" in texto
    assert not g.conectado()

    # a nova secretária cadastra a técnica de novo (e um segundo técnico a substituiria)
    _entrar_gestor(qtbot, j, p.sec2)
    assert _visiveis(j) == {("secretario", p.sec2.cpf)}
    marca = s.caixa.marca()
    _cadastrar(qtbot, j, "tecnico", p.tecnico, email=novo)
    senha = s.caixa.senha_de(p.tecnico.cpf, marca, para=novo)
    assert "Conectado como" in _tecnico_entra(qtbot, j, p.tecnico, senha)


def test_recusas_e_entradas_na_aba(qtbot, janela, servidor_gestores, pessoas):
    """Certificado vencido, pessoa sem cadastro, ente desconhecido, CPF inválido: cada um com a
    frase do que fazer, sem traceback, e sem sessão aberta."""
    j, p = janela, pessoas
    g = j.gestores
    j.abas.setCurrentIndex(1)
    for pessoa, esperado in (
        (p.sec1_vencido, "renove"),
        (p.ninguem, "Peça o cadastro"),
    ):
        g.ente_edit.setText(ENTE)
        g.a1_edit.setText(str(pessoa.pfx))
        j.dialogos.senhas.append(SENHA_PFX)
        n = len(j.dialogos.mostrados)
        _clicar(qtbot, g.botao_entrar)
        icone, _t, texto = _ultimo(qtbot, j, n)
        assert icone == "erro" and esperado in texto, texto
        assert "Traceback" not in texto and not g.conectado()
    g.ente_edit.setText("X1")
    n = len(j.dialogos.mostrados)
    _clicar(qtbot, g.botao_entrar)
    assert "Ente desconhecido" in j.dialogos.mostrados[n][2]
    # o prefeito entra e digita um CPF inválido: recusado antes de assinar
    _entrar_gestor(qtbot, j, p.prefeito)
    g.papel_combo.setCurrentIndex(g.papel_combo.findData("secretario"))
    g.nome_edit.setText("Fulano de Tal")
    g.cpf_edit.setText("123.456.789-00")
    n = len(j.dialogos.mostrados)
    _clicar(qtbot, g.botao_cadastrar)
    assert "CPF da pessoa não é válido" in j.dialogos.mostrados[n][2]

"""A aba "Módulo de Gestores" do Transmissor (issue 22): o prefeito (ou governador), o secretário
de saúde e os substitutos fazem a sua parte com o próprio certificado, sem um programador.

Entra-se com o certificado ICP-Brasil (A1 e a senha do arquivo, ou o token e o PIN); a aba mostra
os cadastros do ente que esse papel pode ver (as regras de acesso do SIOPS, decididas pelo
servidor) e oferece só o que o papel faz: cadastrar ou substituir (os papéis que o servidor diz
que ele pode cadastrar), alterar e-mail e telefone, "esqueceu a senha" do técnico, pedir a
retransmissão com a justificativa e acompanhar a autorização. A homologação fica na aba
Transmissão (botão "Homologar (gestor)…"), que mostra o resumo do arquivo transmitido.

As operações são as de ``transmissor.gestores`` (as mesmas do ``siopsnet``), em ``Tarefas``;
cada recusa do servidor aparece como ele a escreveu, com os motivos que dizem o que fazer.
A senha do A1 é pedida ao entrar e guardada só na memória enquanto a sessão da aba está aberta
(como o PIN na sessão do token do módulo web): "Sair" a esquece.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from siops.transmissor import gestores
from siops.transmissor.gestores import QuadroEnte

COLUNAS = ("Papel", "Nome", "CPF", "E-mail", "Telefone", "Desde")


class PainelGestores(QWidget):
    """A aba do Módulo de Gestores (ver a docstring do módulo)."""

    def __init__(
        self,
        pai: QWidget | None,
        dialogos: Any,
        tarefas: Any,
        novo_cliente: Callable[[], Any],
        pedir_pin: Callable[[str, str | None], str | None],
        config: Any,
    ) -> None:
        super().__init__(pai)
        self.dialogos = dialogos
        self.tarefas = tarefas
        self._novo_cliente = novo_cliente
        self._pedir_pin = pedir_pin
        self.config = config
        self.cliente: Any = None
        self.quadro: QuadroEnte | None = None
        self._fabrica: Callable[[], Any] | None = None
        self._montar()
        self._sessao_mudou()

    # ------------------------------------------------------------------ montagem

    def _montar(self) -> None:
        geral = QVBoxLayout(self)
        topo = QHBoxLayout()
        geral.addLayout(topo)

        g = QGroupBox("Entrar com o certificado do gestor (ICP-Brasil)", self)
        f = QFormLayout(g)
        self.ente_edit = QLineEdit(g)
        self.ente_edit.setPlaceholderText("M355030 (município) ou E35 (estado)")
        f.addRow("Ente:", self.ente_edit)
        self.radio_a1 = QRadioButton("A1 (arquivo .pfx/.p12)", g)
        self.radio_token = QRadioButton("A3 (token ou cartão)", g)
        self._grupo = QButtonGroup(self)
        self._grupo.addButton(self.radio_a1)
        self._grupo.addButton(self.radio_token)
        self.radio_a1.setChecked(True)
        linha = QHBoxLayout()
        linha.addWidget(self.radio_a1)
        linha.addWidget(self.radio_token)
        linha.addStretch(1)
        f.addRow("Certificado:", linha)
        self.a1_edit = QLineEdit(g)
        self.botao_a1 = QPushButton("Escolher…", g)
        self.botao_a1.clicked.connect(self._escolher_a1)
        linha = QHBoxLayout()
        linha.addWidget(self.a1_edit, 1)
        linha.addWidget(self.botao_a1)
        f.addRow("Arquivo A1:", linha)
        self.modulo_edit = QLineEdit(g)
        self.modulo_edit.setPlaceholderText("(procurar os drivers comuns)")
        self.token_edit = QLineEdit(g)
        self.token_edit.setPlaceholderText("(o único conectado)")
        linha = QHBoxLayout()
        linha.addWidget(self.modulo_edit, 2)
        linha.addWidget(QLabel("Token:"))
        linha.addWidget(self.token_edit, 1)
        f.addRow("Driver do token:", linha)
        self.botao_entrar = QPushButton("Entrar com certificado", g)
        self.botao_entrar.clicked.connect(self.entrar)
        self.botao_sair = QPushButton("Sair", g)
        self.botao_sair.clicked.connect(self.sair)
        linha = QHBoxLayout()
        linha.addWidget(self.botao_entrar)
        linha.addWidget(self.botao_sair)
        linha.addStretch(1)
        f.addRow(linha)
        self.rotulo_sessao = QLabel("Não conectado.", g)
        self.rotulo_sessao.setWordWrap(True)
        f.addRow(self.rotulo_sessao)
        topo.addWidget(g, 3)

        g = QGroupBox('"Esqueceu a senha" (técnico responsável pelo envio)', self)
        f = QFormLayout(g)
        self.esqueci_cpf_edit = QLineEdit(g)
        self.esqueci_cpf_edit.setPlaceholderText("CPF do técnico")
        f.addRow("CPF:", self.esqueci_cpf_edit)
        self.botao_esqueci = QPushButton("Enviar nova senha ao e-mail cadastrado", g)
        self.botao_esqueci.clicked.connect(self.esqueci_senha)
        f.addRow(self.botao_esqueci)
        dica = QLabel(
            "Não precisa de certificado. Depois de alterar o e-mail do técnico, use isto para "
            "que a nova senha vá para o endereço novo.",
            g,
        )
        dica.setWordWrap(True)
        f.addRow(dica)
        topo.addWidget(g, 2)

        g = QGroupBox("Cadastros do ente que você pode ver", self)
        v = QVBoxLayout(g)
        self.tabela = QTableWidget(0, len(COLUNAS), g)
        self.tabela.setHorizontalHeaderLabels(list(COLUNAS))
        self.tabela.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tabela.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tabela.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tabela.verticalHeader().setVisible(False)
        self.tabela.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.tabela.itemSelectionChanged.connect(self._selecionado)
        v.addWidget(self.tabela, 1)
        linha = QHBoxLayout()
        self.contato_email_edit = QLineEdit(g)
        self.contato_email_edit.setPlaceholderText("e-mail novo")
        self.contato_telefone_edit = QLineEdit(g)
        self.contato_telefone_edit.setPlaceholderText("telefone")
        self.botao_alterar = QPushButton("Alterar e-mail e telefone do selecionado", g)
        self.botao_alterar.clicked.connect(self.alterar_contato)
        linha.addWidget(QLabel("Alterar:"))
        linha.addWidget(self.contato_email_edit, 2)
        linha.addWidget(self.contato_telefone_edit, 1)
        linha.addWidget(self.botao_alterar)
        v.addLayout(linha)
        geral.addWidget(g, 1)

        baixo = QHBoxLayout()
        geral.addLayout(baixo)
        g = QGroupBox("Cadastrar ou substituir", self)
        grade = QGridLayout(g)
        self.papel_combo = QComboBox(g)
        self.nome_edit = QLineEdit(g)
        self.cpf_edit = QLineEdit(g)
        self.cpf_edit.setPlaceholderText("000.000.000-00")
        self.email_edit = QLineEdit(g)
        self.email_edit.setPlaceholderText("obrigatório para o técnico: a senha vai nele")
        self.telefone_edit = QLineEdit(g)
        for n, (rotulo, w) in enumerate(
            (
                ("Papel:", self.papel_combo),
                ("Nome:", self.nome_edit),
                ("CPF:", self.cpf_edit),
                ("E-mail:", self.email_edit),
                ("Telefone:", self.telefone_edit),
            )
        ):
            grade.addWidget(QLabel(rotulo), n, 0)
            grade.addWidget(w, n, 1)
        self.botao_cadastrar = QPushButton("Cadastrar (assina com o seu certificado)", g)
        self.botao_cadastrar.clicked.connect(self.cadastrar)
        grade.addWidget(self.botao_cadastrar, 5, 1)
        baixo.addWidget(g, 1)

        g = QGroupBox("Retransmissão (secretário de saúde ou substituto)", self)
        grade = QGridLayout(g)
        self.exercicio_spin = QSpinBox(g)
        self.exercicio_spin.setRange(2013, 2100)
        self.exercicio_spin.setValue(date.today().year)
        self.bimestre_combo = QComboBox(g)
        for b in range(1, 7):
            self.bimestre_combo.addItem(f"{b}º bimestre", b)
        self.justificativa_edit = QPlainTextEdit(g)
        self.justificativa_edit.setPlaceholderText(
            "Justificativa (20 a 2000 caracteres): o que estava errado nos dados homologados"
        )
        self.botao_retransmissao = QPushButton("Solicitar retransmissão", g)
        self.botao_retransmissao.clicked.connect(self.solicitar_retransmissao)
        # issue 26: what changed since the transmitted copy, as the start of the justification
        self.botao_resumo = QPushButton("Resumir as alterações", g)
        self.botao_resumo.setToolTip(
            "Compara a cópia transmitida (transm) com o arquivo do bimestre e põe o resumo no "
            "início da justificativa"
        )
        self.botao_resumo.clicked.connect(lambda: self.resumir_alteracoes())
        self.pedido_spin = QSpinBox(g)
        self.pedido_spin.setRange(0, 2_000_000_000)
        self.pedido_spin.setSpecialValueText("—")
        self.botao_acompanhar = QPushButton("Acompanhar o pedido", g)
        self.botao_acompanhar.clicked.connect(self.acompanhar)
        self.rotulo_retransmissao = QLabel("", g)
        self.rotulo_retransmissao.setWordWrap(True)
        grade.addWidget(QLabel("Exercício:"), 0, 0)
        grade.addWidget(self.exercicio_spin, 0, 1)
        grade.addWidget(self.bimestre_combo, 0, 2)
        grade.addWidget(self.justificativa_edit, 1, 0, 1, 3)
        grade.addWidget(self.botao_resumo, 2, 0)
        grade.addWidget(self.botao_retransmissao, 2, 1, 1, 2)
        grade.addWidget(QLabel("Pedido nº:"), 3, 0)
        grade.addWidget(self.pedido_spin, 3, 1)
        grade.addWidget(self.botao_acompanhar, 3, 2)
        grade.addWidget(self.rotulo_retransmissao, 4, 0, 1, 3)
        baixo.addWidget(g, 1)

        self.rotulo_status = QLabel("", self)
        self.rotulo_status.setWordWrap(True)
        geral.addWidget(self.rotulo_status)

    # ------------------------------------------------------------------ estado

    def status(self, texto: str) -> None:
        """A linha de estado da aba."""
        self.rotulo_status.setText(texto)

    def _falha(self, titulo: str) -> Callable[[BaseException], None]:
        def mostrar(erro: BaseException) -> None:
            from siops.transmissor.gui.janela import mensagem_de_erro

            texto = gestores.texto_do_erro(erro) if _do_servidor(erro) else mensagem_de_erro(erro)
            self.status(texto.splitlines()[0])
            self.dialogos.avisar(titulo, texto, "erro")

        return mostrar

    def conectado(self) -> bool:
        """Há sessão de gestor aberta nesta aba?"""
        return self.cliente is not None and self.cliente.sessao is not None

    def _sessao_mudou(self) -> None:
        ligado = self.conectado()
        for w in (
            self.botao_sair,
            self.botao_cadastrar,
            self.botao_alterar,
            self.botao_retransmissao,
            self.botao_acompanhar,
        ):
            w.setEnabled(ligado)
        entrada: tuple[QWidget, ...] = (
            self.ente_edit,
            self.radio_a1,
            self.radio_token,
            self.a1_edit,
            self.botao_a1,
        )
        for campo in entrada:
            campo.setEnabled(not ligado)
        if not ligado:
            self.rotulo_sessao.setText("Não conectado.")
            self.quadro = None
            self._mostrar_quadro()

    def _escolher_a1(self) -> None:
        inicial = Path(self.a1_edit.text()).parent if self.a1_edit.text() else Path.home()
        self.dialogos.escolher_arquivo(
            "Certificado A1 do gestor",
            inicial,
            "Certificado A1 (*.pfx *.p12)",
            lambda p: self.a1_edit.setText(str(p)),
        )

    # ------------------------------------------------------------------ sessão

    def entrar(self) -> None:
        """Abre a sessão de gestor com o certificado e mostra os cadastros do ente."""
        from siops.assinatura.assinador import AssinadorA1, AssinadorPKCS11

        try:
            codigo = gestores.codigo_ente(self.ente_edit.text())
        except gestores.EntradaInvalida as erro:
            self.dialogos.avisar("Módulo de Gestores", str(erro), "aviso")
            return

        def iniciar(fabrica: Callable[[], Any]) -> None:
            try:
                cliente = self._novo_cliente()
            except Exception as erro:
                self._falha("Entrar")(erro)
                return

            def trabalho(_p: Any) -> QuadroEnte:
                with fabrica() as assinador:
                    gestores.entrar(cliente, assinador)
                return gestores.cadastros(cliente, codigo)

            def ok(quadro: QuadroEnte) -> None:
                self.cliente, self._fabrica = cliente, fabrica
                s = cliente.sessao
                self.rotulo_sessao.setText(
                    f"Conectado como {s.nome} — {quadro.nome_ente}. " + _papeis_do_usuario(quadro)
                )
                self.quadro = quadro
                self._sessao_mudou()
                self._mostrar_quadro()
                self.status(f"{len(quadro.ativos)} cadastro(s) de {quadro.nome_ente}.")

            def falhou(erro: BaseException) -> None:
                try:
                    cliente.sair()
                finally:
                    self._falha("Entrar com certificado")(erro)

            self.status("Entrando com o certificado…")
            self.tarefas.executar("entrar (gestor)", trabalho, ok, falhou)

        if self.radio_a1.isChecked():
            arquivo = self.a1_edit.text().strip()
            if not arquivo:
                self.dialogos.avisar(
                    "Certificado", "Escolha o arquivo do seu certificado A1 (.pfx).", "aviso"
                )
                return

            def com_senha(senha: str | None) -> None:
                if senha is None:
                    self.status("Entrada cancelada.")
                    return
                iniciar(lambda: self._com_cadeia(AssinadorA1(arquivo, senha)))

            self.dialogos.senha(
                "Certificado A1", f"Senha do certificado {Path(arquivo).name}:", com_senha
            )
            return
        modulo = self.modulo_edit.text().strip() or None
        rotulo = self.token_edit.text().strip() or None
        iniciar(lambda: self._com_cadeia(AssinadorPKCS11(modulo, rotulo, self._pedir_pin)))

    def _com_cadeia(self, assinador: Any) -> Any:
        """O assinador com a cadeia completada como na transmissão (do token/.pfx, das ACs
        indicadas, das distribuídas com o programa ou do AIA): um A3 que só guarda o
        certificado do titular também serve aos atos do Módulo de Gestores."""
        from siops.assinatura.cadeia import ComCadeia

        return ComCadeia(assinador, self.config.intermediarios(), self.config.revogacao())

    def sair(self) -> None:
        """Encerra a sessão de gestor (e esquece a senha do A1)."""
        cliente, self.cliente, self._fabrica = self.cliente, None, None
        if cliente is not None:
            self.tarefas.executar("sair (gestor)", lambda _p: cliente.sair(), _nada, _nada)
        self._sessao_mudou()
        self.status("Sessão do Módulo de Gestores encerrada.")

    def atualizar(self) -> None:
        """Pede de novo ao servidor os cadastros do ente."""
        if not self.conectado() or self.quadro is None:
            return
        cliente, codigo = self.cliente, self.quadro.ente

        def ok(quadro: QuadroEnte) -> None:
            self.quadro = quadro
            self._mostrar_quadro()

        self.tarefas.executar(
            "cadastros",
            lambda _p: gestores.cadastros(cliente, codigo),
            ok,
            self._falha("Cadastros"),
        )

    def _mostrar_quadro(self) -> None:
        q = self.quadro
        ativos = q.ativos if q else []
        self.tabela.setRowCount(len(ativos))
        for n, a in enumerate(ativos):
            papel = a.nome_papel + (" (você)" if a.proprio else "")
            for c, texto in enumerate(
                (papel, a.nome, a.cpf_formatado, a.email, a.telefone, a.desde_br)
            ):
                self.tabela.setItem(n, c, QTableWidgetItem(texto))
        self.papel_combo.clear()
        for codigo, nome in q.pode_cadastrar if q else []:
            self.papel_combo.addItem(nome, codigo)
        self.botao_cadastrar.setEnabled(self.conectado() and self.papel_combo.count() > 0)

    def _selecionado(self) -> None:
        a = self.selecionado()
        if a is not None:
            self.contato_email_edit.setText(a.email)
            self.contato_telefone_edit.setText(a.telefone)

    def selecionado(self) -> gestores.Cadastrado | None:
        """O cadastro selecionado na tabela."""
        linhas = self.tabela.selectionModel().selectedRows()
        if not linhas or self.quadro is None:
            return None
        n = linhas[0].row()
        return self.quadro.ativos[n] if n < len(self.quadro.ativos) else None

    # ------------------------------------------------------------------ atos assinados

    def _assinar(self, descricao: str, titulo: str, ato: Callable[[Any], Any], ok: Any) -> None:
        """Roda ``ato(assinador)`` com o certificado da sessão, em segundo plano."""
        if not self.conectado() or self._fabrica is None:
            self.dialogos.avisar(titulo, "Entre com o seu certificado primeiro.", "aviso")
            return
        fabrica = self._fabrica

        def trabalho(_p: Any) -> Any:
            with fabrica() as assinador:
                return ato(assinador)

        self.status(f"{descricao}…")
        self.tarefas.executar(descricao, trabalho, ok, self._falha(titulo))

    def cadastrar(self) -> None:
        """Cadastra (ou substitui) a pessoa no papel escolhido."""
        if self.quadro is None:
            return
        try:
            campos = gestores.conferir_cadastro(
                self.quadro.ente,
                str(self.papel_combo.currentData() or ""),
                self.nome_edit.text(),
                self.cpf_edit.text(),
                self.email_edit.text(),
                self.telefone_edit.text(),
            )
        except gestores.EntradaInvalida as erro:
            self.dialogos.avisar("Cadastrar", str(erro), "aviso")
            return
        cliente, quadro = self.cliente, self.quadro

        def ok(resp: dict[str, Any]) -> None:
            from siops.assinatura.certificados import formatar_cpf

            texto = (
                f"{resp.get('nome', campos[2])} (CPF {formatar_cpf(campos[3])}) foi cadastrado(a) "
                f"como {quadro.nome_do_papel(campos[1])}."
            )
            if resp.get("senha_enviada"):
                texto += " A senha de acesso foi enviada para o e-mail informado."
            for x in resp.get("anulados", []) or []:
                texto += (
                    f"\nO cadastro anterior de {quadro.nome_do_papel(str(x.get('papel')))} "
                    f"(CPF {formatar_cpf(str(x.get('cpf')))}) deixou de valer."
                )
            if any(x.get("papel") == "tecnico" for x in resp.get("anulados", []) or []):
                texto += (
                    "\nO novo secretário de saúde precisa cadastrar de novo o técnico "
                    "responsável pelo envio."
                )
            for av in resp.get("avisos", []) or []:
                texto += f"\nAviso: {av}"
            for w in (self.nome_edit, self.cpf_edit, self.email_edit, self.telefone_edit):
                w.clear()
            self.status(texto.splitlines()[0])
            self.dialogos.avisar("Cadastro feito", texto, "info")
            self.atualizar()

        self._assinar(
            "Cadastrando",
            "Cadastrar",
            lambda a: gestores.cadastrar(cliente, a, *campos),
            ok,
        )

    def alterar_contato(self) -> None:
        """ "ALTERAR": muda só o e-mail e o telefone do cadastro selecionado."""
        a = self.selecionado()
        if a is None or self.quadro is None:
            self.dialogos.avisar(
                "Alterar contato", "Selecione na lista o cadastro a alterar.", "aviso"
            )
            return
        try:
            campos = gestores.conferir_contato(
                self.quadro.ente,
                a.papel,
                a.cpf,
                self.contato_email_edit.text(),
                self.contato_telefone_edit.text(),
            )
        except gestores.EntradaInvalida as erro:
            self.dialogos.avisar("Alterar contato", str(erro), "aviso")
            return
        cliente = self.cliente

        def ok(resp: dict[str, Any]) -> None:
            texto = f"Contato de {resp.get('nome', a.nome)} alterado. " + str(
                resp.get("mensagem", "")
            )
            self.status(texto)
            self.dialogos.avisar("Contato alterado", texto, "info")
            self.atualizar()

        self._assinar(
            "Alterando o contato",
            "Alterar contato",
            lambda s: gestores.alterar_contato(cliente, s, *campos),
            ok,
        )

    def solicitar_retransmissao(self) -> None:
        """Pede a retransmissão do período homologado, com a justificativa."""
        from siops.transmissor import documentos, operacoes

        if self.quadro is None:
            return
        try:
            texto = documentos.validar_justificativa(self.justificativa_edit.toPlainText())
        except documentos.DocumentoInvalido as erro:
            self.dialogos.avisar("Retransmissão", str(erro), "aviso")
            return
        cliente, codigo = self.cliente, self.quadro.ente
        exercicio = self.exercicio_spin.value()
        bimestre = int(self.bimestre_combo.currentData())

        def ok(resp: dict[str, Any]) -> None:
            ident = int(resp.get("id", 0) or 0)
            self.pedido_spin.setValue(ident)
            self.justificativa_edit.clear()
            self.rotulo_retransmissao.setText(gestores.texto_retransmissao(resp))
            msg = (
                f"Retransmissão solicitada (pedido {ident}). O Ministério da Saúde analisa o "
                'pedido; acompanhe-o com "Acompanhar o pedido". Depois de autorizado, o técnico '
                "transmite de novo e você homologa de novo."
            )
            self.status(msg)
            self.dialogos.avisar("Retransmissão solicitada", msg, "info")

        def ato(assinador: Any) -> Any:
            # o assinador já está aberto: operacoes.solicitar_retransmissao o reabre (reentrante)
            return operacoes.solicitar_retransmissao(
                cliente, assinador, codigo, exercicio, bimestre, texto
            )

        self._assinar("Solicitando a retransmissão", "Retransmissão", ato, ok)

    def resumir_alteracoes(self, trabalho: Path | None = None) -> None:
        """Offer the summary of what changed (transmitted copy → working file of the chosen
        period, or ``trabalho``) as the start of the justification (``alteracoes``)."""
        from siops.transmissor.gui import alteracoes

        atual = self.justificativa_edit.toPlainText()
        try:
            if trabalho is not None:
                resumo = alteracoes.resumo_do_arquivo(trabalho)
            else:
                codigo = self.quadro.ente if self.quadro is not None else self.ente_edit.text()
                resumo = alteracoes.resumo_do_periodo(
                    codigo, self.exercicio_spin.value(), int(self.bimestre_combo.currentData())
                )
        except alteracoes.SemResumo as erro:
            if trabalho is None and "escolha o arquivo" in str(erro):
                self.dialogos.avisar("Resumo das alterações", str(erro), "aviso")
                from siops.ops_format import caminhos

                self.dialogos.escolher_arquivo(
                    "Arquivo de trabalho da declaração",
                    caminhos.raiz(),
                    "Declaração (*.OPS)",
                    lambda p: self.resumir_alteracoes(Path(p)),
                )
                return
            self.dialogos.avisar("Resumo das alterações", str(erro), "aviso")
            return
        self.justificativa_edit.setPlainText(alteracoes.juntar(resumo, atual))
        self.status("Resumo das alterações posto no início da justificativa: revise-o e complete.")

    def acompanhar(self) -> None:
        """A situação do pedido de retransmissão (solicitada, autorizada, utilizada)."""
        ident = self.pedido_spin.value()
        if not ident:
            self.dialogos.avisar("Retransmissão", "Informe o número do pedido.", "aviso")
            return
        if not self.conectado():
            self.dialogos.avisar("Retransmissão", "Entre com o seu certificado primeiro.", "aviso")
            return
        cliente = self.cliente

        def ok(d: dict[str, Any]) -> None:
            texto = gestores.texto_retransmissao(d)
            self.rotulo_retransmissao.setText(texto)
            self.status(texto)

        self.tarefas.executar(
            "retransmissão",
            lambda _p: gestores.retransmissao(cliente, ident),
            ok,
            self._falha("Retransmissão"),
        )

    def esqueci_senha(self) -> None:
        """ "Esqueceu a senha": nova senha do técnico no e-mail cadastrado (sem certificado)."""
        try:
            cpf = gestores.conferir_cpf(self.esqueci_cpf_edit.text(), "do técnico")
            cliente = self._novo_cliente()
        except gestores.EntradaInvalida as erro:
            self.dialogos.avisar("Esqueceu a senha", str(erro), "aviso")
            return
        except Exception as erro:
            self._falha("Esqueceu a senha")(erro)
            return

        def ok(mensagem: str) -> None:
            self.status(mensagem)
            self.dialogos.avisar("Esqueceu a senha", mensagem, "info")

        self.tarefas.executar(
            "esqueceu a senha",
            lambda _p: gestores.esqueci_senha(cliente, cpf),
            ok,
            self._falha("Esqueceu a senha"),
        )


def _papeis_do_usuario(quadro: QuadroEnte) -> str:
    proprios = [a.nome_papel for a in quadro.ativos if a.proprio]
    return ("Papel: " + ", ".join(proprios) + ".") if proprios else ""


def _do_servidor(erro: BaseException) -> bool:
    from siops.transmissor.cliente import RecusadoPeloServidor

    return isinstance(erro, RecusadoPeloServidor)


def _nada(*_a: Any) -> None:
    return None

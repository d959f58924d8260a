"""A janela do transmissor (SIOPSNET): servidor, login, arquivos de ``transm``, certificado e envio.

O fluxo é o do programa oficial (DOMAIN §3, passo 4): Buscar arquivo na pasta → bimestre →
os arquivos de ``transm`` com a sua situação → Transmitir. Todo trabalho lento (login,
assinatura no token, envio, fila) roda em ``Tarefas``; a interface só mostra o resultado.
Mensagens em português, nunca um traceback.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from siops.assinatura.assinador import CriterioToken
from siops.transmissor import operacoes
from siops.transmissor.config import Configuracoes, pasta_dados
from siops.transmissor.fila import FilaOffline
from siops.transmissor.gui.dialogos import Dialogos
from siops.transmissor.gui.modelo import ModeloArquivos
from siops.transmissor.gui.operacao import OperacaoToken
from siops.transmissor.gui.pin import PedidoPin
from siops.transmissor.gui.tarefas import Tarefas

TITULO = "SIOPSNET — Transmissor do SIOPS"
INTERVALO_FILA_MS = 120_000
PROXY_MODOS = (("sistema", "Do sistema"), ("nenhum", "Nenhum"), ("manual", "Manual"))


def data_hora_legivel(texto: str) -> str:
    """``2026-12-04T16:40:49-03:00`` → ``04/12/2026 16:40:49`` (hora de Brasília); o texto como
    veio se não for uma data ISO."""
    import datetime as dt

    from siops.forms.tempo import data_hora_br

    try:
        quando = dt.datetime.fromisoformat(texto.strip())
    except ValueError:
        return texto
    return data_hora_br(quando, segundos=True)


def _titular(assinador: Any) -> str:
    """Quem vai assinar (``operacoes.quem_assina``: nome, CPF mascarado, AC emissora, válido
    até dd/mm/aaaa e, a 30 dias ou menos do vencimento, o aviso); '' se não der para ler."""
    try:
        return operacoes.quem_assina(assinador)
    except Exception:
        return ""


def _assina(titular: str) -> str:
    """ "Assina: NOME (CPF …), certificado da …, válido até …." e, se houver, o aviso de
    vencimento na linha de baixo."""
    linha, _, aviso = (titular or "o titular do certificado escolhido").partition("\n")
    return f"Assina: {linha}." + (f"\n{aviso}" if aviso else "")


def mensagem_de_erro(erro: BaseException) -> str:
    """A frase para o usuário de qualquer erro vindo do trabalho em segundo plano."""
    from siops.assinatura.assinador import ErroAssinador
    from siops.assinatura.certificados import CertificadoInvalido
    from siops.assinatura.xmldsig import AssinaturaInvalida
    from siops.transmissor.cliente import ErroCliente, RecusadoPeloServidor
    from siops.transmissor.documentos import DocumentoInvalido
    from siops.transmissor.pades import ErroPAdES
    from siops.transmissor.recibos import ReciboInvalido

    if isinstance(erro, RecusadoPeloServidor):
        return erro.texto_completo
    conhecidos = (
        ErroAssinador,
        CertificadoInvalido,
        ErroCliente,
        operacoes.ArquivoRecusado,
        AssinaturaInvalida,
        DocumentoInvalido,
        ErroPAdES,
        ReciboInvalido,
    )
    if isinstance(erro, conhecidos):
        return str(erro)
    return f"Erro inesperado: {erro}. Tente de novo; se persistir, procure o suporte (Disque Saúde 136)."


class JanelaTransmissor(QMainWindow):
    """A janela principal do transmissor."""

    def __init__(
        self, pai: QWidget | None = None, dialogos: Any = None, config: Configuracoes | None = None
    ) -> None:
        super().__init__(pai)
        self.setWindowTitle(TITULO)
        self.config = config or Configuracoes.carregar()
        self.dialogos = dialogos or Dialogos(self)
        self.tarefas = Tarefas(self)
        self.pedido_pin = PedidoPin(lambda t, a: self.dialogos.pin(t, a), self)
        self.fila = FilaOffline(pasta_dados() / "fila")
        self.cliente: Any = None
        self.pasta: Path | None = None
        self.modelo = ModeloArquivos(self)
        self._operacao: OperacaoToken | None = None  # a homologação que possui a sessão do token
        self._montar()
        self._carregar_config()
        self.tarefas.ocupadoMudou.connect(self._ocupado)
        self.tarefas.progresso.connect(self._progresso)
        self._timer_fila = QTimer(self)
        self._timer_fila.setInterval(INTERVALO_FILA_MS)
        self._timer_fila.timeout.connect(self.enviar_fila)
        self.resize(980, 640)

    # ------------------------------------------------------------------ montagem

    def _montar(self) -> None:
        central = QWidget(self)
        geral = QVBoxLayout(central)

        topo = QHBoxLayout()
        geral.addLayout(topo)

        g_srv = QGroupBox("Servidor e rede", central)
        f = QFormLayout(g_srv)
        self.servidor_edit = QLineEdit(g_srv)
        self.servidor_edit.setPlaceholderText("https://servidor do SIOPS")
        f.addRow("Endereço:", self.servidor_edit)
        self.proxy_combo = QComboBox(g_srv)
        for chave, rotulo in PROXY_MODOS:
            self.proxy_combo.addItem(rotulo, chave)
        self.proxy_edit = QLineEdit(g_srv)
        self.proxy_edit.setPlaceholderText("http://proxy.prefeitura:3128")
        linha_proxy = QHBoxLayout()
        linha_proxy.addWidget(self.proxy_combo)
        linha_proxy.addWidget(self.proxy_edit, 1)
        f.addRow("Proxy:", linha_proxy)
        self.proxy_combo.currentIndexChanged.connect(self._proxy_mudou)
        self.ca_edit = QLineEdit(g_srv)
        self.ca_edit.setPlaceholderText("(as ACs do sistema)")
        f.addRow("ACs do HTTPS:", self.ca_edit)
        topo.addWidget(g_srv, 3)

        g_login = QGroupBox("Entrar (técnico responsável pelo envio)", central)
        f = QFormLayout(g_login)
        self.cpf_edit = QLineEdit(g_login)
        self.cpf_edit.setPlaceholderText("000.000.000-00")
        f.addRow("CPF:", self.cpf_edit)
        self.senha_edit = QLineEdit(g_login)
        self.senha_edit.setEchoMode(QLineEdit.EchoMode.Password)
        f.addRow("Senha:", self.senha_edit)
        self.botao_entrar = QPushButton("Entrar", g_login)
        self.botao_entrar.clicked.connect(self.entrar)
        self.senha_edit.returnPressed.connect(self.entrar)
        self.rotulo_sessao = QLabel("Não conectado.", g_login)
        self.rotulo_sessao.setWordWrap(True)
        f.addRow(self.botao_entrar, self.rotulo_sessao)
        topo.addWidget(g_login, 2)

        g_arq = QGroupBox("Arquivos para transmissão", central)
        v = QVBoxLayout(g_arq)
        linha = QHBoxLayout()
        self.esfera_combo = QComboBox(g_arq)
        self.esfera_combo.addItem("Municipal", "municipal")
        self.esfera_combo.addItem("Estadual / DF", "estadual")
        self.exercicio_spin = QSpinBox(g_arq)
        self.exercicio_spin.setRange(2013, 2100)
        from datetime import date

        self.exercicio_spin.setValue(date.today().year)
        self.bimestre_combo = QComboBox(g_arq)
        for b, nome in enumerate(("1º", "2º", "3º", "4º", "5º", "6º"), start=1):
            self.bimestre_combo.addItem(f"{nome} bimestre", b)
        self.botao_bimestre = QPushButton("Listar", g_arq)
        self.botao_bimestre.clicked.connect(self.abrir_bimestre)
        self.botao_buscar = QPushButton("Buscar arquivo na pasta…", g_arq)
        self.botao_buscar.clicked.connect(self.buscar_pasta)
        for w in (
            QLabel("Esfera:"),
            self.esfera_combo,
            QLabel("Exercício:"),
            self.exercicio_spin,
            QLabel("Bimestre:"),
            self.bimestre_combo,
            self.botao_bimestre,
        ):
            linha.addWidget(w)
        linha.addStretch(1)
        linha.addWidget(self.botao_buscar)
        v.addLayout(linha)
        self.rotulo_pasta = QLabel("Nenhuma pasta escolhida.", g_arq)
        self.rotulo_pasta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.rotulo_pasta)
        self.tabela = QTableView(g_arq)
        self.tabela.setModel(self.modelo)
        self.tabela.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tabela.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tabela.verticalHeader().setVisible(False)
        cab = self.tabela.horizontalHeader()
        cab.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        cab.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        cab.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        v.addWidget(self.tabela, 1)
        geral.addWidget(g_arq, 1)

        g_cert = QGroupBox("Certificado digital (ICP-Brasil)", central)
        f = QFormLayout(g_cert)
        self.radio_a1 = QRadioButton("A1 (arquivo .pfx/.p12)", g_cert)
        self.radio_token = QRadioButton("A3 (token ou cartão)", g_cert)
        self._grupo_cert = QButtonGroup(self)
        self._grupo_cert.addButton(self.radio_a1)
        self._grupo_cert.addButton(self.radio_token)
        tipo = QHBoxLayout()
        tipo.addWidget(self.radio_a1)
        tipo.addWidget(self.radio_token)
        tipo.addStretch(1)
        f.addRow("Tipo:", tipo)
        self.a1_edit = QLineEdit(g_cert)
        self.botao_a1 = QPushButton("Escolher…", g_cert)
        self.botao_a1.clicked.connect(self._escolher_a1)
        linha_a1 = QHBoxLayout()
        linha_a1.addWidget(self.a1_edit, 1)
        linha_a1.addWidget(self.botao_a1)
        f.addRow("Arquivo A1:", linha_a1)
        self.modulo_combo = QComboBox(g_cert)
        self.modulo_combo.setEditable(True)
        self.token_combo = QComboBox(g_cert)
        self.token_combo.setEditable(True)
        self.token_combo.setMinimumWidth(160)
        self.botao_tokens = QPushButton("Procurar tokens", g_cert)
        self.botao_tokens.clicked.connect(self.procurar_tokens)
        linha_tk = QHBoxLayout()
        linha_tk.addWidget(self.modulo_combo, 2)
        linha_tk.addWidget(QLabel("Token:"))
        linha_tk.addWidget(self.token_combo, 1)
        linha_tk.addWidget(self.botao_tokens)
        f.addRow("Driver do token:", linha_tk)
        self.botao_intermediarias = QPushButton("ACs intermediárias…", g_cert)
        self.botao_intermediarias.setToolTip(
            "Indique os arquivos das ACs intermediárias quando o token guarda só o seu certificado"
        )
        self.botao_intermediarias.clicked.connect(self.escolher_intermediarias)
        f.addRow("", self.botao_intermediarias)
        self.radio_a1.toggled.connect(self._tipo_mudou)
        geral.addWidget(g_cert)

        acoes = QHBoxLayout()
        self.botao_transmitir = QPushButton("Transmitir", central)
        self.botao_transmitir.setDefault(True)
        self.botao_transmitir.clicked.connect(self.transmitir)
        self.botao_recibo = QPushButton("Ver recibo", central)
        self.botao_recibo.clicked.connect(self.ver_recibo)
        self.botao_situacao = QPushButton("Atualizar situação", central)
        self.botao_situacao.clicked.connect(self.atualizar_situacoes)
        self.botao_fila = QPushButton("Enviar fila", central)
        self.botao_fila.clicked.connect(self.enviar_fila)
        self.botao_homologar = QPushButton("Homologar (gestor)…", central)
        self.botao_homologar.setToolTip(
            "Para o Secretário de Saúde: confere o resumo do que o servidor recebeu e homologa "
            "com o certificado escolhido abaixo (assina também o demonstrativo em PDF)."
        )
        self.botao_homologar.clicked.connect(self.homologar)
        self.barra = QProgressBar(central)
        self.barra.setRange(0, 1)
        self.barra.setValue(0)
        self.barra.setTextVisible(True)
        for w in (
            self.botao_transmitir,
            self.botao_recibo,
            self.botao_situacao,
            self.botao_fila,
            self.botao_homologar,
        ):
            acoes.addWidget(w)
        acoes.addWidget(self.barra, 1)
        geral.addLayout(acoes)
        self.rotulo_status = QLabel("", central)
        self.rotulo_status.setWordWrap(True)
        geral.addWidget(self.rotulo_status)
        # as abas: a transmissão (técnico) e o Módulo de Gestores (certificado do gestor)
        from PySide6.QtWidgets import QTabWidget

        from siops.transmissor.gui.gestores import PainelGestores

        self.abas = QTabWidget(self)
        self.abas.addTab(central, "Transmissão")
        self.gestores = PainelGestores(
            self.abas,
            self.dialogos,
            self.tarefas,
            self._novo_cliente,
            self.pedido_pin.pedir,
            self.config,
        )
        self.abas.addTab(self.gestores, "Módulo de Gestores")
        self.setCentralWidget(self.abas)

    def _carregar_config(self) -> None:
        from siops.assinatura.assinador import modulos_candidatos

        c = self.config
        self.servidor_edit.setText(c.servidor)
        i = next((n for n, (k, _r) in enumerate(PROXY_MODOS) if k == c.proxy_modo), 0)
        self.proxy_combo.setCurrentIndex(i)
        self.proxy_edit.setText(c.proxy)
        self.ca_edit.setText(c.ca_bundle)
        self.cpf_edit.setText(c.cpf)
        self.a1_edit.setText(c.arquivo_a1)
        import os

        modulos = [m for m in modulos_candidatos() if not os.path.isabs(m) or os.path.exists(m)]
        if c.modulo_pkcs11 and c.modulo_pkcs11 not in modulos:
            modulos.insert(0, c.modulo_pkcs11)
        self.modulo_combo.addItem("(procurar os drivers comuns)", "")
        for m in modulos:
            self.modulo_combo.addItem(m, m)
        if c.modulo_pkcs11:
            self.modulo_combo.setCurrentText(c.modulo_pkcs11)
        if c.rotulo_token:
            self.token_combo.setCurrentText(c.rotulo_token)
        (self.radio_token if c.tipo_certificado == "a3" else self.radio_a1).setChecked(True)
        self._proxy_mudou()
        self._tipo_mudou()

    def _salvar_config(self) -> None:
        c = self.config
        c.servidor = self.servidor_edit.text().strip()
        c.proxy_modo = str(self.proxy_combo.currentData())
        c.proxy = self.proxy_edit.text().strip()
        c.ca_bundle = self.ca_edit.text().strip()
        c.cpf = self.cpf_edit.text().strip()
        c.tipo_certificado = "a3" if self.radio_token.isChecked() else "a1"
        c.arquivo_a1 = self.a1_edit.text().strip()
        c.modulo_pkcs11 = self._modulo()
        c.rotulo_token = self.token_combo.currentText().strip()
        try:
            c.salvar()
        except OSError:
            pass  # não impede transmitir

    def _proxy_mudou(self) -> None:
        self.proxy_edit.setEnabled(self.proxy_combo.currentData() == "manual")

    def _tipo_mudou(self) -> None:
        a1 = self.radio_a1.isChecked()
        for w in (self.a1_edit, self.botao_a1):
            w.setEnabled(a1)
        for controle in (self.modulo_combo, self.token_combo, self.botao_tokens):
            controle.setEnabled(not a1)

    def _modulo(self) -> str:
        texto = self.modulo_combo.currentText().strip()
        return "" if texto.startswith("(") else texto

    # ------------------------------------------------------------------ estado

    def _ocupado(self, sim: bool) -> None:
        for w in (
            self.botao_transmitir,
            self.botao_entrar,
            self.botao_fila,
            self.botao_situacao,
            self.botao_tokens,
        ):
            w.setEnabled(not sim)
        if not sim:
            self._tipo_mudou()
            if self.barra.maximum() == 0:
                self.barra.setRange(0, 1)

    def _progresso(self, feito: int, total: int) -> None:
        self.barra.setRange(0, max(total, 1))
        self.barra.setValue(min(feito, max(total, 1)))

    def status(self, texto: str) -> None:
        """Uma linha de estado abaixo dos botões."""
        self.rotulo_status.setText(texto)

    def _falha(self, titulo: str) -> Any:
        def mostrar(erro: BaseException) -> None:
            texto = mensagem_de_erro(erro)
            self.status(texto.splitlines()[0])
            self.barra.setRange(0, 1)
            self.barra.setValue(0)
            self.dialogos.avisar(titulo, texto, "erro")

        return mostrar

    def _novo_cliente(self) -> Any:
        from siops.transmissor.cliente import ClienteSIOPS, ConfigRede

        self._salvar_config()
        c = self.config
        rede = ConfigRede(servidor=c.servidor, proxy=c.proxy_efetivo, ca_bundle=c.ca_bundle or None)
        return ClienteSIOPS(rede)

    # ------------------------------------------------------------------ login

    def entrar(self) -> None:
        """Login com CPF e senha, em segundo plano."""
        from siops.assinatura.certificados import cpf_valido

        cpf, senha = self.cpf_edit.text().strip(), self.senha_edit.text()
        if not cpf_valido(cpf):
            self.dialogos.avisar("Entrar", "Digite um CPF válido (11 dígitos).", "aviso")
            return
        if not senha:
            self.dialogos.avisar(
                "Entrar", "Digite a senha recebida por e-mail no cadastro.", "aviso"
            )
            return
        try:
            cliente = self._novo_cliente()
        except Exception as erro:  # endereço recusado etc.
            self._falha("Entrar")(erro)
            return
        self.status(f"Conectando a {cliente.host}…")

        def trabalho(_p: Any) -> Any:
            return cliente.entrar(cpf, senha)

        def ok(sessao: Any) -> None:
            self.cliente = cliente
            self.senha_edit.clear()
            nome = sessao.nome or sessao.cpf
            self.rotulo_sessao.setText(f"Conectado como {nome}.")
            self.status(f"Conectado a {cliente.host}.")
            self._timer_fila.start()
            if self.fila.itens(cliente.base):
                self.enviar_fila()

        self.tarefas.executar("login", trabalho, ok, self._falha("Entrar"))

    # ------------------------------------------------------------------ arquivos

    def pasta_do_bimestre(self) -> Path:
        """``<raiz>/MUNICIPAL|ESTADUAL/<ano>/<Nome>Bimestre/transm`` (regra de ``ops_format``)."""
        from siops.forms.entes import ente
        from siops.ops_format import caminhos

        # a regra de pastas depende só da esfera: qualquer ente dela serve para chamá-la
        exemplo = ente("M355030") if self.esfera_combo.currentData() == "municipal" else ente("E35")
        return caminhos.pasta_transmissao(
            exemplo, self.exercicio_spin.value(), int(self.bimestre_combo.currentData())
        )

    def abrir_bimestre(self) -> None:
        """Lista a pasta ``transm`` padrão do exercício e bimestre escolhidos."""
        self.abrir_pasta(self.pasta_do_bimestre())

    def buscar_pasta(self) -> None:
        """ "Buscar arquivo na pasta…": escolhe a pasta ``transm`` à mão."""
        inicial = self.pasta or self.pasta_do_bimestre()
        while not inicial.exists() and inicial.parent != inicial:
            inicial = inicial.parent
        self.dialogos.escolher_pasta(inicial, self.abrir_pasta)

    def abrir_pasta(self, pasta: Path, selecionar: Path | None = None) -> None:
        """Mostra os arquivos .OPS da pasta com a sua situação."""
        self.pasta = Path(pasta)
        linhas = operacoes.listar_transm(self.pasta, self.fila)
        self.modelo.definir(linhas)
        if not self.pasta.is_dir():
            self.rotulo_pasta.setText(
                f"A pasta {self.pasta} não existe: grave o arquivo para transmissão no programa."
            )
        elif not linhas:
            self.rotulo_pasta.setText(f"Nenhum arquivo .OPS em {self.pasta}.")
        else:
            self.rotulo_pasta.setText(f"Pasta: {self.pasta}")
        self._periodo_dos_arquivos(linhas)
        alvo = Path(selecionar).resolve() if selecionar else None
        for e in linhas:
            if (alvo is None and e.estado in ("pendente", "recusado")) or alvo == e.caminho:
                self.modelo.marcar(e.caminho)

    def _periodo_dos_arquivos(self, linhas: list[Any]) -> None:
        """Põe exercício e bimestre de acordo com o nome do primeiro arquivo (M…_2025_SegundoBimestre)."""

        for e in linhas:
            if self.periodo_do_nome(e.caminho.name):
                return

    def periodo_do_nome(self, nome: str) -> bool:
        """Exercício, bimestre e esfera a partir de um nome padrão (M…_2026_SextoBimestre.OPS);
        False se o nome não é padrão."""
        import re

        nomes = ("Primeiro", "Segundo", "Terceiro", "Quarto", "Quinto", "Sexto")
        m = re.search(r"_(\d{4})_([A-Za-z]+)Bimestre", nome)
        if not m or m.group(2) not in nomes:
            return False
        self.exercicio_spin.setValue(int(m.group(1)))
        self.bimestre_combo.setCurrentIndex(nomes.index(m.group(2)))
        self.esfera_combo.setCurrentIndex(0 if nome.startswith("M") else 1)
        return True

    def recarregar(self) -> None:
        """Relê a situação dos arquivos da pasta aberta."""
        if self.pasta is not None:
            marcados = self.modelo.marcados()
            self.modelo.definir(operacoes.listar_transm(self.pasta, self.fila))
            for m in marcados:
                self.modelo.marcar(m)

    # ------------------------------------------------------------------ certificado

    def _escolher_a1(self) -> None:
        inicial = Path(self.a1_edit.text()).parent if self.a1_edit.text() else Path.home()
        self.dialogos.escolher_arquivo(
            "Certificado A1",
            inicial,
            "Certificados (*.pfx *.p12)",
            lambda p: self.a1_edit.setText(str(p)),
        )

    def procurar_tokens(self) -> None:
        """Lista os tokens conectados ao driver escolhido (em segundo plano)."""
        from siops.assinatura.assinador import listar_tokens

        modulo = self._modulo() or None

        def ok(tokens: list[Any]) -> None:
            atual = self.token_combo.currentText()
            self.token_combo.clear()
            for t in tokens:
                self.token_combo.addItem(t.rotulo, t.serie)  # a série desempata rótulos iguais
            if atual and atual in [t.rotulo for t in tokens]:
                self.token_combo.setCurrentText(atual)
            self.status(
                f"{len(tokens)} token(s) encontrado(s)." if tokens else "Nenhum token conectado."
            )

        self.tarefas.executar("tokens", lambda _p: listar_tokens(modulo), ok, self._falha("Tokens"))

    def _com_assinador(self, continuar: Any) -> None:
        """Monta o assinador escolhido (pede a senha do A1 antes) e chama ``continuar(fabrica)``."""
        from siops.assinatura.assinador import AssinadorA1, AssinadorPKCS11

        if self.radio_a1.isChecked():
            arquivo = self.a1_edit.text().strip()
            if not arquivo:
                self.dialogos.avisar(
                    "Certificado", "Escolha o arquivo do certificado A1 (.pfx).", "aviso"
                )
                return

            def com_senha(senha: str | None) -> None:
                if senha is None:
                    self.status("Transmissão cancelada.")
                    return
                continuar(lambda: self._com_cadeia(AssinadorA1(arquivo, senha)))

            self.dialogos.senha(
                "Certificado A1", f"Senha do certificado {Path(arquivo).name}:", com_senha
            )
            return
        modulo = self._modulo() or None
        criterio = self._criterio_token()
        continuar(
            lambda: self._com_cadeia(AssinadorPKCS11(modulo, criterio, self.pedido_pin.pedir))
        )

    def _com_cadeia(self, assinador: Any) -> Any:
        """O assinador com a cadeia completada (do token/.pfx, das ACs indicadas em "ACs
        intermediárias…", das distribuídas com o programa ou do AIA), que vai no KeyInfo."""
        from siops.assinatura.cadeia import ComCadeia

        return ComCadeia(assinador, self.config.intermediarios(), self.config.revogacao())

    def escolher_intermediarias(self) -> None:
        """Botão "ACs intermediárias…": um arquivo PEM com as ACs que o token não guarda
        (fica nas configurações e vale para as próximas assinaturas)."""
        from cryptography import x509

        def escolhido(arquivo: Path) -> None:
            try:
                certs = x509.load_pem_x509_certificates(arquivo.read_bytes())
            except (OSError, ValueError):
                self.dialogos.avisar(
                    "ACs intermediárias",
                    f"O arquivo {arquivo.name} não traz certificados de AC em PEM.",
                    "aviso",
                )
                return
            self.config.intermediarios_icp = list(
                dict.fromkeys([*self.config.intermediarios_icp, str(arquivo)])
            )
            self._salvar_config()
            self.status(f"ACs intermediárias: {len(certs)} certificado(s) de {arquivo.name}.")

        self.dialogos.escolher_arquivo(
            "ACs intermediárias", Path.home(), "Certificados de AC (*.pem *.crt *.cer)", escolhido
        )

    def _criterio_token(self) -> CriterioToken:
        """O rótulo escrito ou escolhido e, se escolhido da lista, também o número de série
        (o que separa dois tokens de mesmo rótulo)."""
        rotulo = self.token_combo.currentText().strip() or None
        i = self.token_combo.currentIndex()
        serie = None
        if i >= 0 and self.token_combo.itemText(i).strip() == rotulo:
            serie = self.token_combo.itemData(i) or None
        return CriterioToken(rotulo, serie)

    # ------------------------------------------------------------------ transmitir

    def transmitir(self) -> None:
        """Assina e envia os arquivos marcados (em segundo plano, com barra de progresso).

        Dois passos com a mesma sessão do token (``OperacaoToken``): abrir o certificado e
        conferi-lo (vigência, CPF do usuário, cadeia, política, revogação); depois de o
        usuário ver de quem é o certificado que vai assinar e confirmar, assinar e enviar.
        """
        arquivos = self.modelo.marcados()
        if not arquivos:
            self.dialogos.avisar("Transmitir", "Marque na lista os arquivos a transmitir.", "aviso")
            return
        if self.cliente is None or self.cliente.sessao is None:
            self.dialogos.avisar(
                "Transmitir", "Entre com o seu CPF e a senha antes de transmitir.", "aviso"
            )
            return
        self._salvar_config()
        cliente, fila = self.cliente, self.fila
        try:
            raizes = self.config.raizes()
        except Exception as erro:
            self._falha("Transmitir")(erro)
            return
        revogacao = self.config.revogacao()
        cpf = cliente.sessao.cpf

        def iniciar(fabrica: Any) -> None:
            op = OperacaoToken(self.tarefas, fabrica, "transmissão", self._falha("Transmitir"))
            self._encerrar_operacao()
            self._operacao = op

            def conferir(a: Any, _p: Any) -> tuple[str, list[str]]:
                avisos: list[str] = []
                operacoes.conferir_certificado(a, cpf, raizes, revogacao=revogacao, avisos=avisos)
                return _titular(a), avisos

            def trabalho(a: Any, progresso: Any) -> list[Any]:
                # a revogação acabou de ser consultada em ``conferir`` (e os avisos, mostrados
                # na pergunta): aqui só a cadeia, sem repetir a busca da LCR a cada arquivo
                return [
                    operacoes.transmitir_arquivo(
                        arq, a, cliente, fila, progresso=progresso, raizes=raizes
                    )
                    for arq in arquivos
                ]

            def conferido(res: tuple[str, list[str]]) -> None:
                if op.encerrada:
                    return
                titular, avisos = res

                def resposta(sim: bool) -> None:
                    if op.encerrada:
                        return
                    if not sim:
                        op.encerrar()
                        self.barra.setRange(0, 1)
                        self.status("Transmissão não feita.")
                        return
                    self.barra.setRange(0, 0)  # ocupado até o primeiro byte
                    self.status(f"Assinando e transmitindo {len(arquivos)} arquivo(s)…")
                    op.passo(trabalho, self._transmitidos, ultimo=True)

                nomes = "\n".join(f"  {Path(a).name}" for a in arquivos)
                texto = f"Transmitir {len(arquivos)} arquivo(s):\n{nomes}\n\n{_assina(titular)}"
                if avisos:
                    texto += "\n\n" + "\n".join(avisos)
                texto += "\n\nAssinar e transmitir?"
                self.status("Confira quem assina e confirme a transmissão.")
                self.dialogos.confirmar("Transmitir", texto, resposta)

            self.status("Conferindo o certificado…")
            op.passo(conferir, conferido)

        self._com_assinador(iniciar)

    def _transmitidos(self, resultados: list[Any]) -> None:
        self.barra.setRange(0, 1)
        self.barra.setValue(1)
        self.recarregar()
        for r in resultados:
            if r.estado != "na_fila":
                self.modelo.marcar(r.arquivo, False)
        linhas = [f"{r.arquivo.name}: {r.mensagem}" for r in resultados]
        avisos = [r.aviso_recibo for r in resultados if r.aviso_recibo]
        for r in resultados:
            linhas += [f"  aviso {a.get('codigo', '')}: {a.get('mensagem', '')}" for a in r.avisos]
        estados = {r.estado for r in resultados}
        if "recusado" in estados:
            icone, titulo = "erro", "Transmissão recusada"
        elif "na_fila" in estados:
            icone, titulo = "aviso", "Sem conexão: transmissão na fila"
        else:
            icone, titulo = "info", "Transmissão concluída"
        self.status(linhas[0] if linhas else "")
        self.dialogos.avisar(titulo, "\n".join(linhas + avisos), icone)

    def enviar_fila(self) -> None:
        """Reenvia o que está na fila deste servidor (também a cada dois minutos, conectado)."""
        if self.cliente is None or self.cliente.sessao is None or self.tarefas.ocupado():
            return
        cliente, fila = self.cliente, self.fila
        if not fila.itens(cliente.base):
            return

        def ok(resultados: list[Any]) -> None:
            self.recarregar()
            enviados = [r for r in resultados if r.estado == "transmitido"]
            if enviados:
                self.status(
                    f"Fila: {len(enviados)} arquivo(s) transmitido(s). " + enviados[-1].mensagem
                )
            recusados = [r for r in resultados if r.estado == "recusado"]
            if recusados:
                self.dialogos.avisar(
                    "Transmissão recusada", "\n".join(r.mensagem for r in recusados), "erro"
                )

        self.tarefas.executar(
            "fila",
            lambda p: operacoes.processar_fila(cliente, fila, p),
            ok,
            lambda e: self.status(mensagem_de_erro(e)),
        )

    # ------------------------------------------------------------------ recibo e situação

    def _atual(self) -> Any:
        indices = self.tabela.selectionModel().selectedRows()
        if indices:
            return self.modelo.estado(indices[0].row())
        marcados = self.modelo.marcados()
        linhas = self.modelo.linhas()
        if len(linhas) == 1:
            return linhas[0]
        if marcados:
            return next(e for e in linhas if e.caminho == marcados[0])
        return None

    def ver_recibo(self) -> None:
        """Mostra o recibo do arquivo selecionado, conferido sem rede."""
        from siops.transmissor.recibos import ReciboInvalido

        e = self._atual()
        if e is None:
            self.dialogos.avisar("Recibo", "Selecione na lista um arquivo transmitido.", "aviso")
            return
        try:
            c = operacoes.recibo_local(e.caminho)
        except ReciboInvalido as erro:
            self.dialogos.avisar("Recibo", str(erro), "erro")
            return
        linhas = [
            ("Protocolo", c.protocolo),
            ("Ente", f"{c.nome_ente} ({c.ente})"),
            ("Período", f"{c.bimestre}º bimestre de {c.exercicio}"),
            ("Recebido em", data_hora_legivel(c.data_hora)),
            ("Assinado por", f"{c.signatario_nome} (CPF {c.signatario_cpf})"),
            ("Resumo SHA-256 do arquivo", c.digest),
            ("Recibo emitido por", f"{c.servidor} — assinatura conferida ({c.assinado_por})"),
        ]
        corpo = "".join(
            f"<tr><th align='left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in linhas
        )
        pagina = (
            f"<h3>Recibo de transmissão — {html.escape(e.caminho.name)}</h3><table cellpadding='4'>{corpo}</table>"
            "<p>O arquivo guardado é exatamente o que o servidor recebeu.</p>"
        )
        self.dialogos.recibo(f"Recibo — protocolo {c.protocolo}", pagina)

    def atualizar_situacoes(self) -> None:
        """Pergunta ao servidor a situação (homologado etc.) dos arquivos transmitidos da lista."""
        if self.cliente is None or self.cliente.sessao is None:
            self.dialogos.avisar("Situação", "Entre com o seu CPF e a senha primeiro.", "aviso")
            return
        cliente = self.cliente
        alvos = [e.caminho for e in self.modelo.linhas() if e.protocolo]

        def trabalho(_p: Any) -> list[Any]:
            return [operacoes.atualizar_situacao(a, cliente) for a in alvos]

        def ok(estados: list[Any]) -> None:
            for est in estados:
                self.modelo.atualizar(est)
            self.status("Situação atualizada.")

        self.tarefas.executar("situação", trabalho, ok, self._falha("Situação"))

    # ------------------------------------------------------------------ homologação

    def homologar(self) -> None:
        """O gestor homologa o arquivo selecionado: resumo, confirmação, assinatura (XML e PDF)."""
        e = self._atual()
        if e is None or not e.protocolo:
            self.dialogos.avisar(
                "Homologar", "Selecione na lista um arquivo já transmitido.", "aviso"
            )
            return
        try:
            cliente = self._novo_cliente()  # a sessão do gestor é outra: pelo certificado
        except Exception as erro:
            self._falha("Homologar")(erro)
            return
        try:
            raizes = self.config.raizes()
        except Exception as erro:
            self._falha("Homologar")(erro)
            return
        intermediarios = self.config.intermediarios()

        def iniciar(fabrica: Any) -> None:
            # uma operação dona da sessão do token, do resumo à assinatura (gui/operacao.py)
            op = OperacaoToken(self.tarefas, fabrica, "homologação", self._falha("Homologar"))
            self._encerrar_operacao()
            self._operacao = op

            quem: list[str] = []  # o titular do certificado que vai assinar

            def preparar(a: Any, _p: Any) -> Any:
                quem.append(_titular(a))
                return operacoes.preparar_homologacao(
                    cliente, a, e.protocolo, raizes, intermediarios
                )

            def preparado(prep: Any) -> None:
                if op.encerrada:  # a janela fechou enquanto o resumo chegava
                    return

                def concluir(a: Any, _p: Any) -> Any:
                    return operacoes.concluir_homologacao(cliente, a, prep, arquivo_local=e.caminho)

                def resposta(sim: bool) -> None:
                    if op.encerrada:
                        return
                    if not sim:
                        op.encerrar()
                        self.status("Homologação não feita.")
                        return
                    self.status("Assinando a homologação e o demonstrativo…")
                    op.passo(concluir, self._homologado, ultimo=True)

                texto = (
                    prep.resumo
                    + f"\n\n{_assina(quem[-1] if quem else '')}\nAo homologar, estes dados e o "
                    "demonstrativo levam essa assinatura digital. Homologar?"
                )
                self.status("Confira o resumo e quem assina, e confirme a homologação.")
                self.dialogos.confirmar("Homologar dados", texto, resposta)

            self.status(f"Buscando no servidor o protocolo {e.protocolo}…")
            op.passo(preparar, preparado)

        self._com_assinador(iniciar)

    def _homologado(self, res: Any) -> None:
        self.barra.setRange(0, 1)  # concluída: a barra fica cheia, não volta a 0%
        self.barra.setValue(1)
        self.recarregar()
        texto = f"Homologado — protocolo {res.protocolo}."
        if res.pdf is not None:
            texto += " O demonstrativo assinado foi enviado e guardado ao lado do arquivo."
        if res.aviso:
            texto += "\n" + res.aviso
        self.status(texto.splitlines()[0])
        self.dialogos.avisar("Homologação concluída", texto, "aviso" if res.aviso else "info")

    # ------------------------------------------------------------------ fechar

    def _encerrar_operacao(self) -> None:
        """Encerra a operação com token em andamento (fecha a sessão), se houver."""
        op, self._operacao = self._operacao, None
        if op is not None:
            op.encerrar()

    def closeEvent(self, evento: QCloseEvent) -> None:
        """Não fecha no meio de uma transmissão; fechando, a sessão com o token fecha junto."""
        if self.tarefas.ocupado():
            self.dialogos.avisar(
                "Fechar", "Uma transmissão está em andamento; aguarde terminar.", "aviso"
            )
            evento.ignore()
            return
        self._timer_fila.stop()
        self._encerrar_operacao()
        evento.accept()


_tradutores: list[Any] = []  # precisam viver tanto quanto a aplicação


def instalar_traducoes(app: QApplication) -> None:
    """Os textos do próprio Qt em português ("Sim/Não/Cancelar", diálogos de arquivo)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.Language.Portuguese, QLocale.Country.Brazil))
    if _tradutores:
        return
    pasta = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for nome in ("qtbase_pt_BR", "qtbase_pt"):
        t = QTranslator(app)
        if t.load(nome, pasta):
            app.installTranslator(t)
            _tradutores.append(t)
            return


def main() -> int:
    """``siopsnet`` sem argumentos: abre só a janela do transmissor."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("SIOPSNET")
    instalar_traducoes(app)
    janela = JanelaTransmissor()
    janela.show()
    return int(app.exec())

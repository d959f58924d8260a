"""The main window's file operations, as a mixin of ``JanelaPrincipal``: Nova, Abrir, Salvar,
Salvar como, the three imports, Gravar arquivo para transmissão, Verificar críticas, the RREO
and críticas PDFs, the transmitter, and the recovery of a crashed session's edits.

Slow work (save, import, PDF, transmission copy) runs on ``self.tarefas`` over a *copy* of the
declaration (STYLE habit 8); results come back on the GUI thread and become one undoable
command. Every question goes through ``self.dialogos`` (replaceable in tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from siops.app.dialogos import Resposta
from siops.app.diario import DeclaracaoEmUso, DiarioPendente, Trava, chave, pendentes
from siops.app.documento import Documento
from siops.app.preferencias import lembrar
from siops.ops_format import (
    ArquivoInvalido,
    TransmissaoRecusada,
    caminhos,
    ler,
    salvar,
)
from siops.ops_format.caminhos import caminho_padrao, raiz

if TYPE_CHECKING:
    from siops.app.dialogos import Dialogos
    from siops.app.janela_criticas import DockCriticas
    from siops.app.tarefas import Tarefas
    from siops.criticas.achado import Achado
    from siops.forms.declaracao import Declaracao

FILTRO_OPS = "Declarações do SIOPS (*.OPS *.ops);;Todos os arquivos (*)"
FILTRO_IMPORTAR = "Declaração anterior (*.IMP *.imp *.OPS *.ops);;Todos os arquivos (*)"
FILTRO_CSV = "Planilhas CSV (*.csv *.CSV *.txt);;Todos os arquivos (*)"
FILTRO_CONTABIL = "MSC ou balancete (*.csv *.CSV *.txt *.xlsx *.XLSX);;Todos os arquivos (*)"
FILTRO_PDF = "Relatórios em PDF (*.pdf *.PDF)"
#: The reports of ``relatorios.TIPOS`` in the Relatórios menu, in the order the SIOPS lists
#: them (a test checks that the menu covers every type).
RELATORIOS = (
    ("indicadores", "&Indicadores do SIOPS"),
    ("fonte-rp", "Despesa por &fonte e restos a pagar"),
    ("consorcios", "Despesas com c&onsórcios públicos"),
    ("blocos", "Execução financeira por &bloco de financiamento"),
    ("lc141", "Relatório da &LC nº 141/2012"),
)


def _descrever_erro(exc: BaseException) -> str:
    """One Portuguese sentence for an error (never a traceback)."""
    texto = str(exc).strip()
    if isinstance(exc, PermissionError):
        return f"Sem permissão para gravar ou ler o arquivo ({getattr(exc, 'filename', '')})."
    if isinstance(exc, FileNotFoundError):
        return f"Arquivo não encontrado: {getattr(exc, 'filename', '') or texto}."
    return texto or "Erro inesperado; nenhum dado foi alterado."


class AcoesArquivo:
    """See module docstring (mixed into ``JanelaPrincipal``)."""

    documento: Documento | None
    dialogos: Dialogos
    tarefas: Tarefas
    dock: DockCriticas

    # provided by JanelaPrincipal
    consultar_fechamento: Callable[[Callable[[], None]], bool]
    definir_documento: Callable[[Documento | None], None]
    mostrar_mensagem: Callable[..., None]
    confirmar_edicao: Callable[[], None]
    _janelas_extras: list[Any]

    @property
    def _janela(self) -> QWidget:
        """The main window this mixin is part of: the parent of the dialogs it opens."""
        assert isinstance(self, QWidget)  # JanelaPrincipal(AcoesArquivo, QMainWindow)
        return self

    # -- Nova / Abrir --------------------------------------------------------------------------

    def nova_declaracao(self, perguntar: bool = True) -> None:
        """Arquivo → Nova declaração…: the dialog, then the file in the standard folder."""
        if perguntar and not self.consultar_fechamento(lambda: self.nova_declaracao(False)):
            return
        from siops.app.janela_nova import DialogoNovaDeclaracao

        dlg = DialogoNovaDeclaracao(self._janela)
        dlg.escolhido.connect(self.criar_declaracao)
        self.dialogos.mostrar(dlg)

    def criar_declaracao(self, ente: Any, exercicio: int, bimestre: int) -> None:
        """Create an empty declaration, save it in the standard place and open it."""
        from siops.forms.declaracao import Declaracao

        caminho = caminho_padrao(ente, exercicio, bimestre)
        if caminho.exists():
            self.dialogos.perguntar(
                "Nova declaração",
                f"Já existe uma declaração de {ente.descricao} para o {bimestre}º bimestre de "
                f"{exercicio}:\n{caminho}\n\nDeseja abri-la?",
                lambda r: self.abrir_arquivo(caminho) if r == Resposta.SIM else None,
            )
            return
        trava = self._travar(caminho, "Nova declaração")
        if trava is None:
            return
        d = Declaracao(ente, exercicio, bimestre)
        copia = d.copia()

        def pronto(_r: object) -> None:
            self._mostrar_documento(Documento(d, caminho, trava=trava))
            lembrar(caminho)
            self.mostrar_mensagem(f"Declaração criada: {caminho.name} (pasta {caminho.parent})")

        def falhou(exc: BaseException) -> None:
            trava.soltar()
            self.dialogos.informar(
                "Nova declaração",
                "Não foi possível criar o arquivo da declaração.",
                icone="erro",
                detalhes=_descrever_erro(exc),
            )

        self.tarefas.executar(
            "criação da declaração", lambda: salvar(copia, caminho), pronto, falhou
        )

    def abrir_dialogo(self, perguntar: bool = True) -> None:
        """Arquivo → Abrir…"""
        if perguntar and not self.consultar_fechamento(lambda: self.abrir_dialogo(False)):
            return
        pasta = self.documento.caminho.parent if self.documento and self.documento.caminho else None
        self.dialogos.escolher_abrir(
            "Abrir declaração",
            pasta or raiz(),
            FILTRO_OPS,
            lambda p: self.abrir_arquivo(p),
        )

    def abrir_arquivo_pedido(self, caminho: Path, perguntar: bool = True) -> None:
        """Open a file chosen on the welcome screen (asks about unsaved edits first)."""
        if perguntar and not self.consultar_fechamento(
            lambda: self.abrir_arquivo_pedido(caminho, False)
        ):
            return
        self.abrir_arquivo(caminho)

    def abrir_arquivo(self, caminho: Path, recuperar: DiarioPendente | None = None) -> bool:
        """Read a declaration and show it; False (with a message) when it cannot be read.

        When a crashed session left edits of this very file, the user is asked first. A file
        another window of the program has open is refused (``_travar``).
        """
        caminho = Path(caminho)
        atual = self.documento
        if (
            atual is not None
            and atual.caminho is not None
            and chave(atual.caminho) == chave(caminho)
        ):
            # This window opens its own file again (its edits were saved or dropped by then):
            # it lets go of it first, or its own lock would refuse it.
            self.definir_documento(None)
        if recuperar is None:
            pend = self._pendente_de(caminho)
            if pend is not None:
                self._perguntar_recuperacao(pend, [])
                return True
        trava = self._travar(caminho, "Abrir declaração")
        if trava is None:
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            d = ler(caminho)
        except (OSError, ArquivoInvalido) as exc:
            QApplication.restoreOverrideCursor()
            if recuperar is not None and not caminho.exists():
                return self._recuperar_sem_arquivo(recuperar, trava)
            trava.soltar()
            self.dialogos.informar(
                "Abrir declaração",
                f"Não foi possível abrir {caminho.name}.",
                icone="erro",
                detalhes=_descrever_erro(exc),
            )
            return False
        QApplication.restoreOverrideCursor()
        doc = Documento(d, caminho, adiar_criticas=recuperar is None, trava=trava)
        self._mostrar_documento(doc)
        lembrar(caminho)
        if recuperar is not None:
            self._reaplicar(doc, recuperar)
        else:
            self.mostrar_mensagem(f"Declaração aberta: {caminho.name}")
        if d.avisos_formato:  # an older format: converted in memory, the file left as it was
            resto = d.avisos_formato[1:]
            mostrados = resto[:8]
            if len(resto) > len(mostrados):
                mostrados.append(
                    f"… e mais {len(resto) - len(mostrados)} valor(es) das tabelas agora "
                    "calculadas (siops calcular ARQ mostra a lista inteira)."
                )
            self.dialogos.informar(
                "Arquivo do formato antigo", d.avisos_formato[0], detalhes="\n\n".join(mostrados)
            )
        return True

    def _mostrar_documento(self, doc: Documento) -> None:
        self.definir_documento(doc)

    def _travar(self, caminho: Path, titulo: str) -> Trava | None:
        """This window's lock of a declaration, or None after telling the user why not: it is
        open in another window of the program.

        Refused, not offered read-only: a read-only view of a file another window is changing
        shows numbers that are not the declaration's (its unsaved edits are elsewhere), and a
        clerk could print or transmit from it; the other window is where the work is."""
        try:
            trava = Trava.de(caminho)
        except OSError as exc:
            self.dialogos.informar(
                titulo,
                f"Não foi possível abrir {Path(caminho).name}: a pasta de dados do programa "
                "não aceita o diário de recuperação.",
                icone="erro",
                detalhes=_descrever_erro(exc),
            )
            return None
        if trava is None:
            self.dialogos.informar(titulo, str(DeclaracaoEmUso(caminho)), icone="aviso")
        return trava

    # -- crash recovery ------------------------------------------------------------------------

    def _pendente_de(self, caminho: Path) -> DiarioPendente | None:
        alvo = Path(caminho).resolve()
        for p in pendentes():
            if p.arquivo.resolve() == alvo:
                return p
        return None

    def oferecer_recuperacao(self) -> None:
        """At start-up: offer back the edits of sessions that ended without closing."""
        self._perguntar_recuperacao(None, pendentes())

    def _perguntar_recuperacao(
        self, pend: DiarioPendente | None, resto: list[DiarioPendente]
    ) -> None:
        if pend is None:
            if not resto:
                return
            pend, resto = resto[0], resto[1:]
        quando = dt.datetime.fromtimestamp(pend.quando).strftime("%d/%m/%Y às %H:%M")
        detalhes = f"Arquivo: {pend.arquivo}"
        if pend.arquivo_mudou():
            detalhes += (
                "\nAtenção: o arquivo foi alterado depois dessas edições; elas serão "
                "aplicadas sobre a versão atual."
            )

        def responder(r: Resposta) -> None:
            if r == Resposta.SIM:
                self.abrir_arquivo(pend.arquivo, recuperar=pend)
            else:
                pend.descartar()
                if r == Resposta.NAO:
                    self._perguntar_recuperacao(None, resto)

        self.dialogos.perguntar(
            "Recuperar alterações",
            f"O programa foi encerrado sem salvar {pend.edicoes} alteração(ões) em "
            f"{pend.arquivo.name} (última em {quando}).\n\nDeseja recuperá-las?",
            responder,
            detalhes=detalhes,
            icone="aviso",
        )

    def _recuperar_sem_arquivo(self, pend: DiarioPendente, trava: Trava) -> bool:
        from siops.forms.declaracao import Declaracao
        from siops.forms.entes import ente

        d = Declaracao(ente(pend.ente), pend.exercicio, pend.bimestre)
        doc = Documento(d, pend.arquivo, trava=trava)
        self._mostrar_documento(doc)
        self._reaplicar(doc, pend)
        return True

    def _reaplicar(self, doc: Documento, pend: DiarioPendente) -> None:
        from siops.forms.declaracao import EdicaoInvalida, Lote

        falhas = 0
        try:
            doc.executar(Lote(pend.comandos, "Recuperar alterações"))
        except EdicaoInvalida:
            # The file changed under the edits: keep those that still apply.
            ensaio = doc.declaracao.copia()
            bons = []
            for c in pend.comandos:
                try:
                    ensaio.aplicar(c)
                    bons.append(c)
                except EdicaoInvalida:
                    falhas += 1
            doc.executar(Lote(tuple(bons), "Recuperar alterações"))
        if doc.diario is not None and doc.diario.caminho == pend.caminho:
            # The same journal name: the document's journal has already replaced it with the
            # recovered edits — deleting it now would lose them again. Nothing applied: the
            # old one is stale.
            if not doc.modificado():
                doc.diario.descartar()
        else:
            pend.descartar()
        msg = f"{pend.edicoes - falhas} alteração(ões) recuperada(s). Salve para guardá-las."
        if falhas:
            msg += f" {falhas} não puderam ser aplicadas."
        self.mostrar_mensagem(msg, 15000)

    # -- Salvar --------------------------------------------------------------------------------

    def salvar(self, ao_concluir: Callable[[bool], None] | None = None) -> None:
        """Arquivo → Salvar (Ctrl+S), in the background; ``ao_concluir(ok)`` afterwards."""
        doc = self.documento
        if doc is None:
            return
        if doc.caminho is None:
            self.salvar_como(ao_concluir)
            return
        self._salvar_em(doc.caminho, ao_concluir)

    def salvar_como(self, ao_concluir: Callable[[bool], None] | None = None) -> None:
        """Arquivo → Salvar como…"""
        doc = self.documento
        if doc is None:
            return
        d = doc.declaracao
        sugerido = doc.caminho or caminho_padrao(d.ente, d.exercicio, d.bimestre)
        self.dialogos.escolher_salvar(
            "Salvar declaração como",
            sugerido,
            FILTRO_OPS,
            lambda p: self._salvar_em(p, ao_concluir),
        )

    def _salvar_em(self, caminho: Path, ao_concluir: Callable[[bool], None] | None = None) -> None:
        doc = self.documento
        if doc is None:
            return
        self.confirmar_edicao()
        trava: Trava | None = None
        if doc.caminho is None or chave(caminho) != chave(doc.caminho):
            # "Salvar como": the new name is locked before it is written — never over a file
            # another window has open; the document takes the lock when the save succeeds.
            try:
                trava = Trava.de(caminho)
            except OSError as exc:
                self.dialogos.informar(
                    "Salvar",
                    "A declaração NÃO foi salva; o arquivo anterior continua como estava.",
                    icone="erro",
                    detalhes=_descrever_erro(exc),
                )
                if ao_concluir is not None:
                    ao_concluir(False)
                return
            if trava is None:
                self.dialogos.informar(
                    "Salvar",
                    f"A declaração NÃO foi salva em {Path(caminho).name}: essa declaração já "
                    "está aberta em outra janela do programa. Escolha outro nome, ou feche-a "
                    "naquela janela primeiro.",
                    icone="aviso",
                )
                if ao_concluir is not None:
                    ao_concluir(False)
                return
        copia, indice = doc.instantaneo()
        marca = doc.marca()

        def ok(_r: object) -> None:
            if self.documento is doc:
                doc.salvo(caminho, indice, marca, trava)
            elif trava is not None:
                trava.soltar()
            lembrar(caminho)
            self.mostrar_mensagem(f"Declaração salva: {Path(caminho).name}")
            if ao_concluir is not None:
                ao_concluir(True)

        def falhou(exc: BaseException) -> None:
            if trava is not None:
                trava.soltar()
            self.dialogos.informar(
                "Salvar",
                "A declaração NÃO foi salva; o arquivo anterior continua como estava.",
                icone="erro",
                detalhes=_descrever_erro(exc),
            )
            if ao_concluir is not None:
                ao_concluir(False)

        self.tarefas.executar("gravação", lambda: salvar(copia, caminho), ok, falhou)

    # -- imports -------------------------------------------------------------------------------

    def importar_anterior(self) -> None:
        """Arquivo → Importar bimestre anterior…: choose, preview, apply as one undo step."""
        doc = self.documento
        if doc is None:
            return
        pasta = doc.caminho.parent.parent if doc.caminho else raiz()
        self.dialogos.escolher_abrir(
            "Importar bimestre anterior", pasta, FILTRO_IMPORTAR, self.preparar_importacao
        )

    def preparar_importacao(self, anterior: Path) -> None:
        """Compute the preview in the background, then show it."""
        from siops.ops_format import importar_anterior  # loaded on first use

        doc = self.documento
        if doc is None:
            return
        copia = doc.declaracao.copia()
        self.tarefas.executar(
            "importação",
            lambda: importar_anterior(ler(anterior), copia),
            lambda imp: self._mostrar_previa(doc, anterior, imp),
            lambda exc: self.dialogos.informar(
                "Importar bimestre anterior",
                "Nada foi importado.",
                icone="aviso",
                detalhes=_descrever_erro(exc),
            ),
        )

    def _mostrar_previa(self, doc: Documento, anterior: Path, imp: Any) -> None:
        from siops.app.janela_dialogos import DialogoImportacao

        dlg = DialogoImportacao(anterior, imp, self._janela)

        def aplicar() -> None:
            if self.documento is not doc:
                return
            try:
                mudou = doc.executar(imp.lote)
            except Exception as exc:  # EdicaoInvalida: nothing applied
                self.dialogos.informar("Importar", _descrever_erro(exc), icone="erro")
                return
            n = len(imp.lote.comandos)
            self.mostrar_mensagem(
                f"Importação concluída: {n} item(ns) do bimestre anterior."
                if mudou
                else "Importação concluída: nada mudou (os valores já eram os mesmos)."
            )

        dlg.accepted.connect(aplicar)
        self.dialogos.mostrar(dlg)

    def importar_planilha(self) -> None:
        """Arquivo → Importar planilha…: a CSV ``tabela;linha;coluna;valor`` as one undo step."""
        if self.documento is None:
            return
        self.dialogos.escolher_abrir(
            "Importar planilha", Path.home(), FILTRO_CSV, self.importar_planilha_de
        )

    def importar_planilha_de(self, caminho: Path) -> None:
        doc = self.documento
        if doc is None:
            return
        copia = doc.declaracao.copia()

        def ler() -> Any:
            from siops.forms.planilha import decodificar, ler_csv

            return ler_csv(copia, decodificar(Path(caminho).read_bytes()))

        def recusar(exc: BaseException) -> None:
            self.dialogos.informar(
                "Importar planilha",
                f"Nada foi importado de {Path(caminho).name}.",
                icone="aviso",
                detalhes=_descrever_erro(exc),
            )

        def aplicar(lote: Any) -> None:
            from siops.forms.declaracao import EdicaoInvalida

            if self.documento is not doc:
                return
            try:
                doc.executar(lote)  # all or nothing (Lote undoes itself on failure)
            except EdicaoInvalida as exc:
                recusar(exc)
                return
            self.mostrar_mensagem(f"Planilha importada: {len(lote.comandos)} valor(es).")

        self.tarefas.executar("importação da planilha", ler, aplicar, recusar)

    def importar_contabil(self) -> None:
        """Arquivo → Importar da contabilidade (MSC/balancete)…: choose the files (the MSC of
        each month of the bimestre, or a balancete), then the preview, then one undo step."""
        doc = self.documento
        if doc is None:
            return
        pasta = doc.caminho.parent if doc.caminho else Path.home()
        self.dialogos.escolher_varios(
            "Importar da contabilidade — MSC (um arquivo por mês) ou balancete",
            pasta,
            FILTRO_CONTABIL,
            self.importar_contabil_de,
        )

    def importar_contabil_de(self, arquivos: list[Path]) -> None:
        """Read the files and build the preview in the background, then show the dialog."""
        doc = self.documento
        if doc is None or not arquivos:
            return
        from siops.contabil import importar as previa_contabil  # loaded when first asked for

        copia = doc.declaracao.copia()
        self.tarefas.executar(
            "importação da contabilidade",
            lambda: previa_contabil(copia, arquivos),
            lambda previa: self._mostrar_previa_contabil(doc, previa),
            lambda exc: self.dialogos.informar(
                "Importar da contabilidade",
                "Nada foi importado; a declaração não mudou.",
                icone="aviso",
                detalhes=_descrever_erro(exc),
            ),
        )

    def _mostrar_previa_contabil(self, doc: Documento, previa: Any) -> None:
        if self.documento is not doc:
            return
        from siops.app.contabil_dialogo import DialogoImportacaoContabil  # its own window

        dlg = DialogoImportacaoContabil(doc.declaracao, previa, self._janela)

        def aplicar() -> None:
            lote = dlg.lote_escolhido()
            if self.documento is not doc or lote is None:
                return
            try:
                mudou = doc.executar(lote)  # the whole import: one undo step
            except Exception as exc:  # EdicaoInvalida: nothing applied
                self.dialogos.informar(
                    "Importar da contabilidade", _descrever_erro(exc), icone="erro"
                )
                return
            self.mostrar_mensagem(
                f"Importação da contabilidade concluída: {dlg.alteracoes_escolhidas()} "
                "célula(s) do Anexo 12. "
                "Editar → Desfazer desfaz a importação inteira."
                if mudou
                else "Importação da contabilidade: nada mudou (os valores já eram os mesmos).",
                15000,
            )

        dlg.accepted.connect(aplicar)
        self.dialogos.mostrar(dlg)

    # -- críticas, transmission, reports -------------------------------------------------------

    def verificar_criticas(self) -> None:
        """Ferramentas → Verificar críticas: run every rule again and show the panel."""
        doc = self.documento
        if doc is None:
            return
        self.confirmar_edicao()
        achados = doc.verificar_tudo()
        imp = sum(1 for a in achados if a.severidade == "impeditiva")
        av = len(achados) - imp
        self.dock.show()
        self.dock.raise_()
        if not achados:
            self.mostrar_mensagem(
                "Verificação concluída: nenhuma crítica. A declaração pode ser gravada para "
                "transmissão.",
                15000,
            )
        else:
            self.mostrar_mensagem(
                f"Verificação concluída: {imp} crítica(s) impeditiva(s) e {av} aviso(s).", 15000
            )

    def gravar_transmissao(self) -> None:
        """Arquivo → Gravar arquivo para transmissão: refuse with the impeditivas, or save and
        write the copy into ``transm/`` and offer to open the transmitter."""
        doc = self.documento
        if doc is None:
            return
        self.confirmar_edicao()
        if doc.impeditivas():
            self._mostrar_impeditivas(doc.impeditivas())
            return
        if doc.modificado() or doc.caminho is None:
            self.salvar(ao_concluir=lambda ok: self._gravar_copia(doc) if ok else None)
        else:
            self._gravar_copia(doc)

    def _gravar_copia(self, doc: Documento) -> None:
        if doc.caminho is None:
            return
        from siops.app import portao  # the gate: loaded when first asked for

        copia = doc.declaracao.copia()
        caminho = doc.caminho

        def ok(resultado: tuple[Path, list[str]]) -> None:
            # the gate's notes (reference and previous bimestre used or missing: issue 20.3)
            destino, notas = resultado
            extra = "".join(f"{n}\n\n" for n in notas)
            self.dialogos.perguntar(
                "Gravar arquivo para transmissão",
                f"Arquivo para transmissão gravado em:\n{destino}\n\n{extra}"
                "Deseja abrir o Transmissor agora?",
                lambda r: self.abrir_transmissor(destino) if r == Resposta.SIM else None,
                icone="info",
            )

        def falhou(exc: BaseException) -> None:
            imped = exc.impeditivas if isinstance(exc, TransmissaoRecusada) else []
            if imped:
                self._mostrar_impeditivas(imped)
            else:
                self.dialogos.informar(
                    "Gravar arquivo para transmissão",
                    "O arquivo para transmissão NÃO foi gravado.",
                    icone="erro",
                    detalhes=_descrever_erro(exc),
                )

        self.tarefas.executar(
            "gravação para transmissão",
            lambda: portao.gravar(copia, caminho),
            ok,
            falhou,
        )

    def _mostrar_impeditivas(self, impeditivas: list[Any]) -> None:
        from siops.app.janela_dialogos import DialogoImpeditivas

        doc = self.documento
        linhas = []
        for a in impeditivas:
            local = ""
            try:
                local = a.local(doc.catalogo) if doc is not None else ""
            except Exception:
                local = ""
            linhas.append(f"{a.codigo} — {a.mensagem}" + (f"\n    {local}" if local else ""))
        self.dock.show()
        self.dialogos.mostrar(DialogoImpeditivas(linhas, self._janela))

    def destino_relatorio(self, sufixo: str) -> Path:
        """Where a report is proposed: beside the declaration, named as ``siops rreo`` and
        ``siops relatorio`` name it (``M353170_2026_QuintoBimestre_RREO.pdf``); a declaration
        never saved, in its standard folder."""
        doc = self.documento
        assert doc is not None
        d = doc.declaracao
        arquivo = doc.caminho or caminho_padrao(d.ente, d.exercicio, d.bimestre)
        return arquivo.with_name(f"{arquivo.stem}_{sufixo}.pdf")

    def _pdf(self, sufixo: str, gerar: Callable[[Declaracao, Path], Path], o_que: str) -> None:
        """Ask where to save the report (proposing ``destino_relatorio``), write it off the
        GUI thread, then show it in the preview inside the program."""
        doc = self.documento
        if doc is None:
            return
        self.confirmar_edicao()
        sugerido = self.destino_relatorio(sufixo)
        try:
            sugerido.parent.mkdir(parents=True, exist_ok=True)  # the standard folder, if new
        except OSError:
            sugerido = Path.home() / sugerido.name
        copia = doc.declaracao.copia()

        def escolhido(destino: Path) -> None:
            if destino.suffix.lower() != ".pdf":
                destino = destino.with_name(destino.name + ".pdf")
            self.tarefas.executar(
                o_que,
                lambda: gerar(copia, destino),
                lambda p: self.mostrar_previa_pdf(p, o_que),
                lambda exc: self.dialogos.informar(
                    o_que,
                    "O relatório não foi gerado.",
                    icone="erro",
                    detalhes=_descrever_erro(exc),
                ),
            )

        self.dialogos.escolher_salvar(
            f"Salvar {o_que}", sugerido, FILTRO_PDF, escolhido, sufixo="pdf"
        )

    def mostrar_previa_pdf(self, caminho: Path, o_que: str) -> None:
        """The report just written, in the preview inside the program (no PDF program is
        needed; the system's viewer is one button away for who has one)."""
        from siops.app.previa_pdf import DialogoPreviaPdf

        dlg = DialogoPreviaPdf(caminho, o_que, self._janela, self.dialogos.abrir_externo)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.mostrar_mensagem(f"{o_que} gravado em {caminho}")
        self.dialogos.mostrar(dlg)

    def visualizar_rreo(self) -> None:
        """Ferramentas → Visualizar RREO: the Anexo 12 demonstrativo (marked PRÉVIA)."""
        self._pdf("RREO", _gerar_rreo, "Demonstrativo RREO — Anexo 12")

    def relatorio_criticas(self) -> None:
        """Relatórios → Relatório de críticas (PDF)."""
        doc = self.documento
        if doc is None:
            return
        achados = list(doc.achados)
        self._pdf(
            "CRITICAS",
            lambda d, p: _gerar_relatorio_criticas(d, achados, p),
            "Relatório de críticas",
        )

    def relatorio(self, tipo: str) -> None:
        """Relatórios → one of ``relatorios.TIPOS`` (indicadores, fonte-rp, consorcios, blocos,
        lc141): saved where the clerk chooses, rendered off the GUI thread, then previewed."""
        rotulo = dict(RELATORIOS).get(tipo, tipo).replace("&", "")
        self._pdf(
            tipo.upper().replace("-", "_"),
            lambda d, p: _gerar_relatorio(d, tipo, p),
            rotulo,
        )

    def abrir_transmissor(self, arquivo: Path | None = None) -> None:
        """Ferramentas → Transmissor: the transmitter's own window."""
        from siops.transmissor.gui import abrir  # its own window, loaded when first asked for

        doc = self.documento
        if arquivo is None and doc is not None:
            # Follow the open declaration: its transm folder and period (the copy may not be
            # written yet; the Transmissor then says so for *this* bimestre, not the 1º).
            d = doc.declaracao
            arquivo = caminhos.pasta_transmissao(d.ente, d.exercicio, d.bimestre) / (
                caminhos.nome_arquivo(d.ente, d.exercicio, d.bimestre)
            )
        janela = abrir(self, arquivo)
        if janela is not None:
            self._janelas_extras.append(janela)


# -- the reports, rendered off the GUI thread (``relatorios`` and reportlab load on first use) --


def _gerar_rreo(d: Declaracao, destino: Path) -> Path:
    """The RREO Anexo 12 preview (marked PRÉVIA) as a PDF file."""
    from siops import relatorios

    relatorios.renderizar_rreo(d, destino)
    return destino


def _gerar_relatorio_criticas(d: Declaracao, achados: list[Achado], destino: Path) -> Path:
    """The críticas report as a PDF file."""
    from siops import relatorios

    relatorios.renderizar_criticas(d, achados, destino)
    return destino


def _gerar_relatorio(d: Declaracao, tipo: str, destino: Path) -> Path:
    """One of the other SIOPS reports (``relatorios.TIPOS``) as a PDF file."""
    from siops import relatorios

    relatorios.renderizar_relatorio(d, tipo, destino)
    return destino

"""As operações do ``Repositorio`` em SQL comum ao SQLite e ao PostgreSQL, escritas uma só vez.

``RepositorioSQL`` fala com um *banco* pequeno (``um``, ``consultar``, ``escrever(fn)``,
``proximo_id``, ``verificar_integridade``, ``fechar``) que cada implementação fornece:

* ``repositorio_sqlite.RepositorioSQLite`` — ``banco.Banco``: WAL, um só escritor com *group
  commit*; ``escrever`` roda ``fn`` dentro do ``SAVEPOINT`` do pedido na transação do escritor,
  que é serial por construção;
* ``repositorio_postgres.RepositorioPostgres`` — cada ``escrever`` é uma transação
  ``SERIALIZABLE`` própria, repetida inteira quando o PostgreSQL a aborta por conflito.

O SQL usa ``?`` como marcador (o adaptador do PostgreSQL o troca por ``%s``) e só o que os dois
bancos entendem igual (``ON CONFLICT``, ``RETURNING``, índices únicos parciais). As operações
atômicas reconferem o estado dentro de ``fn`` (ver ``repositorio``); os índices únicos de
``esquema`` garantem o resto: a idempotência nunca depende de "consultar e depois inserir".
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

from siops.servidor import modelos as m
from siops.servidor.repositorio import (
    ConflitoEstado,
    NovaTransmissao,
    Repositorio,
    ResultadoCadastro,
    Tentativa,
)
from siops.servidor.repositorio_monitoramento import MonitoramentoSQL, homologacao_de_linha
from siops.servidor.tempo import de_iso

T = TypeVar("T")

#: Uma linha de consulta: a do SQLite ou a do adaptador do PostgreSQL (as duas aceitam
#: ``r["coluna"]``, ``r[0]``, ``keys()`` e ``dict(r)``).
Linha = Any
#: A conexão dentro de ``escrever``: ``execute(sql, parametros)`` → cursor com ``fetchone``,
#: ``fetchall`` e ``rowcount``; ``executemany``.
Conexao = Any


class BancoSQL(Protocol):
    """O que ``RepositorioSQL`` pede do banco (ver a docstring do módulo)."""

    def um(self, sql: str, parametros: tuple | list = ()) -> Linha | None: ...
    def consultar(self, sql: str, parametros: tuple | list = ()) -> list[Linha]: ...
    def escrever(
        self, fn: Callable[[Conexao], T], espera: float = 60.0, exclusivo: str | None = None
    ) -> T: ...
    def proximo_id(self, con: Conexao, tabela: str) -> int: ...
    def verificar_integridade(self) -> str: ...
    def fechar(self) -> None: ...


def violacao_unica(exc: BaseException) -> bool:
    """Se ``exc`` é a violação de uma restrição única (SQLite ou PostgreSQL, SQLSTATE 23505)."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc) or "PRIMARY KEY" in str(exc)
    return getattr(exc, "sqlstate", None) == "23505"


def _usuario(r: Linha | None) -> m.Usuario | None:
    if r is None:
        return None
    return m.Usuario(
        r["cpf"],
        r["nome"],
        r["email"],
        r["telefone"],
        r["senha_hash"],
        r["falhas"],
        r["bloqueado_ate"],
        r["senha_enviada_em"],
        r["senha_pendente_hash"],
    )


def _papel(r: Linha) -> m.Papel:
    return m.Papel(
        r["id"],
        r["ente"],
        r["papel"],
        r["cpf"],
        r["nome"],
        r["cadastrado_por"],
        r["cadastrado_em"],
        r["anulado_em"],
    )


def _transmissao(r: Linha | None) -> m.Transmissao | None:
    if r is None:
        return None
    return m.Transmissao(**{k: r[k] for k in r.keys()})


def _homologacao(r: Linha | None) -> m.Homologacao | None:
    return None if r is None else homologacao_de_linha(r)


def _retransmissao(r: Linha | None) -> m.Retransmissao | None:
    if r is None:
        return None
    return m.Retransmissao(
        r["id"],
        r["ente"],
        r["exercicio"],
        r["bimestre"],
        r["justificativa"],
        r["solicitante_cpf"],
        r["solicitada_em"],
        r["situacao"],
        r["autorizada_em"],
        r["autorizada_por"],
        r["observacao"],
        r["utilizada_por"],
    )


_SQL_PAPEIS = (
    "SELECT p.*, u.nome FROM papeis p JOIN usuarios u ON u.cpf = p.cpf WHERE p.anulado_em IS NULL"
)


def _usar_documento(con: Conexao, digest: str, tipo: str, cpf: str, momento: str) -> None:
    try:
        con.execute(
            "INSERT INTO documentos_usados(digest, tipo, cpf, usado_em) VALUES (?,?,?,?)",
            (digest, tipo, cpf, momento),
        )
    except Exception as exc:
        if violacao_unica(exc):
            raise ConflitoEstado("documento_reutilizado") from None
        raise


def mesmo_nome(a: str, b: str) -> bool:
    """Se dois nomes são o mesmo, sem contar maiúsculas, acentos e espaços repetidos."""

    def chave(nome: str) -> str:
        sem_acento = "".join(
            c for c in unicodedata.normalize("NFKD", nome) if not unicodedata.combining(c)
        )
        return " ".join(sem_acento.casefold().split())

    return chave(a) == chave(b)


class RepositorioSQL(MonitoramentoSQL, Repositorio):
    """``Repositorio`` sobre um ``BancoSQL`` (ver a docstring do módulo)."""

    banco: BancoSQL

    def fechar(self) -> None:
        """Fecha o banco (o SQLite esvazia antes a fila do escritor)."""
        self.banco.fechar()

    # --- usuários ---------------------------------------------------------------------------

    def usuario(self, cpf: str) -> m.Usuario | None:
        """A pessoa com esse CPF."""
        return _usuario(self.banco.um("SELECT * FROM usuarios WHERE cpf = ?", (cpf,)))

    def papeis_ativos(self, cpf: str | None = None, ente: str | None = None) -> list[m.Papel]:
        """Os papéis não anulados, filtrados por pessoa e/ou ente."""
        sql, par = _SQL_PAPEIS, []
        if cpf is not None:
            sql += " AND p.cpf = ?"
            par.append(cpf)
        if ente is not None:
            sql += " AND p.ente = ?"
            par.append(ente)
        return [_papel(r) for r in self.banco.consultar(sql + " ORDER BY p.id", par)]

    def cadastrar(
        self,
        ente: str,
        papel: str,
        cpf: str,
        nome: str,
        email: str,
        telefone: str,
        por_cpf: str | None,
        anular: Sequence[str],
        documento_digest: str | None,
        senha_hash: str | None,
        momento: str,
    ) -> ResultadoCadastro:
        """Cadastra ``cpf`` no ``papel`` do ``ente``, anulando antes os papéis ``anular`` do
        ente (e o ocupante anterior do mesmo papel) e as sessões de quem perdeu papel.

        A identidade (nome, e-mail, telefone, senha, sessões) é da pessoa: só é regravada
        quando todo papel ativo dela é um dos que este cadastro substitui — o cadastro é feito
        pela cadeia dona desses papéis — ou quando quem assina é a própria pessoa. Se a pessoa tem outro papel ativo (em outro ente, ou no
        mesmo ente fora dos substituídos), ganha o papel e fica como está: o nome assinado
        precisa conferir com o registrado, o e-mail informado é ignorado e ``senha_hash`` só é
        gravado se ela ainda não tem senha (e vai para o e-mail registrado).

        ``ConflitoEstado`` com ``documento_reutilizado``, ``cpf_de_administrador`` (um
        administrador nunca tem papel de ente), ``identidade_divergente`` (detalhe: o nome
        registrado) ou ``sem_email_cadastrado``. Tudo reconferido dentro da transação.
        """

        def fn(con: Conexao) -> ResultadoCadastro:
            if documento_digest:
                _usar_documento(con, documento_digest, "cadastro", por_cpf or "", momento)
            admin = con.execute(
                "SELECT 1 FROM papeis WHERE cpf=? AND papel='admin' AND anulado_em IS NULL",
                (cpf,),
            ).fetchone()
            if admin is not None:
                raise ConflitoEstado("cpf_de_administrador")
            alvos = sorted({papel, *anular})
            marcas = ",".join("?" * len(alvos))
            existente = _usuario(
                con.execute("SELECT * FROM usuarios WHERE cpf=?", (cpf,)).fetchone()
            )
            outros = con.execute(
                "SELECT 1 FROM papeis WHERE cpf=? AND anulado_em IS NULL "
                f"AND NOT (ente=? AND papel IN ({marcas})) LIMIT 1",
                (cpf, ente, *alvos),
            ).fetchone()
            # a própria pessoa (cadastrando a si mesma) é dona da sua identidade
            preservar = existente is not None and outros is not None and por_cpf != cpf
            senha_definida = False
            if preservar:
                assert existente is not None
                if not mesmo_nome(existente.nome, nome):
                    raise ConflitoEstado("identidade_divergente", existente.nome)
                if senha_hash is not None and existente.senha_hash is None:
                    if not existente.email:
                        raise ConflitoEstado("sem_email_cadastrado", existente.nome)
                    con.execute(
                        "UPDATE usuarios SET senha_hash=?, falhas=0, bloqueado_ate=NULL, "
                        "senha_enviada_em=?, senha_pendente_hash=NULL WHERE cpf=?",
                        (senha_hash, momento, cpf),
                    )
                    senha_definida = True
                nome_final, email_final = existente.nome, existente.email
            else:
                con.execute(
                    "INSERT INTO usuarios(cpf, nome, email, telefone) VALUES (?,?,?,?) "
                    "ON CONFLICT(cpf) DO UPDATE SET nome=excluded.nome, "
                    "email=CASE WHEN excluded.email <> '' THEN excluded.email "
                    "ELSE usuarios.email END, "
                    "telefone=CASE WHEN excluded.telefone <> '' THEN excluded.telefone "
                    "ELSE usuarios.telefone END",
                    (cpf, nome, email, telefone),
                )
                if senha_hash is not None:
                    con.execute(
                        "UPDATE usuarios SET senha_hash=?, falhas=0, bloqueado_ate=NULL, "
                        "senha_enviada_em=?, senha_pendente_hash=NULL WHERE cpf=?",
                        (senha_hash, momento, cpf),
                    )
                    senha_definida = True
                r = con.execute("SELECT nome, email FROM usuarios WHERE cpf=?", (cpf,)).fetchone()
                nome_final, email_final = r["nome"], r["email"]
            anulados = [
                _papel(r)
                for r in con.execute(
                    f"{_SQL_PAPEIS} AND p.ente = ? AND p.papel IN ({marcas})", (ente, *alvos)
                ).fetchall()
            ]
            motivo = f"novo {papel} cadastrado"
            for p in anulados:
                con.execute(
                    "UPDATE papeis SET anulado_em=?, motivo_anulacao=? WHERE id=?",
                    (momento, motivo, p.id),
                )
            # quem perdeu papel perde as sessões; a pessoa cadastrada só se a senha mudou (com a
            # identidade preservada, ela recupera o papel no mesmo ato e segue como estava)
            revogar = {p.cpf for p in anulados} - ({cpf} if preservar else set())
            if senha_definida and not preservar:
                revogar.add(cpf)
            for c in revogar:
                con.execute("UPDATE sessoes SET revogada=1 WHERE cpf=?", (c,))
            con.execute(
                "INSERT INTO papeis(ente, papel, cpf, cadastrado_por, cadastrado_em, "
                "documento_digest) VALUES (?,?,?,?,?,?)",
                (ente, papel, cpf, por_cpf, momento, documento_digest),
            )
            return ResultadoCadastro(anulados, preservar, senha_definida, nome_final, email_final)

        # os cadastros, raros, passam um de cada vez (ver ``BancoSQL.escrever``)
        return self.banco.escrever(fn, exclusivo="papeis")

    def alterar_contato(self, cpf: str, email: str, telefone: str) -> None:
        """Troca só o e-mail e o telefone da pessoa ("ALTERAR" do Módulo de Gestores): sem
        senha nova, sem revogar sessões."""
        self.banco.escrever(
            lambda con: con.execute(
                "UPDATE usuarios SET email=?, telefone=? WHERE cpf=?", (email, telefone, cpf)
            )
        )

    def definir_senha(self, cpf: str, senha_hash: str, momento: str) -> None:
        """Troca a senha (descarta a pendente), zera o bloqueio e revoga as sessões da pessoa."""

        def fn(con: Conexao) -> None:
            con.execute(
                "UPDATE usuarios SET senha_hash=?, falhas=0, bloqueado_ate=NULL, "
                "senha_enviada_em=?, senha_pendente_hash=NULL WHERE cpf=?",
                (senha_hash, momento, cpf),
            )
            con.execute("UPDATE sessoes SET revogada=1 WHERE cpf=?", (cpf,))

        self.banco.escrever(fn, exclusivo="papeis")

    def definir_senha_pendente(self, cpf: str, senha_hash: str, momento: str) -> None:
        """Guarda a senha de "esqueceu a senha" como pendente (substitui outra pendente); a
        atual, o bloqueio e as sessões ficam como estão."""
        self.banco.escrever(
            lambda con: con.execute(
                "UPDATE usuarios SET senha_pendente_hash=?, senha_enviada_em=? WHERE cpf=?",
                (senha_hash, momento, cpf),
            )
        )

    def promover_senha_pendente(self, cpf: str, senha_hash: str) -> bool:
        """A pessoa entrou com a senha pendente ``senha_hash``: ela passa a ser a senha, a
        anterior deixa de valer, a contagem de falhas zera e as sessões abertas são revogadas.
        ``False`` (nada muda) se a pendente já não é essa (outro pedido a substituiu)."""

        def fn(con: Conexao) -> bool:
            cur = con.execute(
                "UPDATE usuarios SET senha_hash=senha_pendente_hash, senha_pendente_hash=NULL, "
                "falhas=0, bloqueado_ate=NULL WHERE cpf=? AND senha_pendente_hash=?",
                (cpf, senha_hash),
            )
            if cur.rowcount != 1:
                return False
            con.execute("UPDATE sessoes SET revogada=1 WHERE cpf=?", (cpf,))
            return True

        return self.banco.escrever(fn)

    def reservar_tentativa(self, cpf: str, limite: int, agora: str, bloquear_ate: str) -> Tentativa:
        """Reserva (e já conta como falha) uma tentativa de senha, ANTES da conferência.

        Na mesma escrita: se a conta está bloqueada (``bloqueado_ate`` depois de ``agora``), não
        reserva; um bloqueio vencido recomeça a contagem; a ``limite``-ésima tentativa seguida
        grava o bloqueio até ``bloquear_ate``. Assim, com qualquer número de pedidos
        simultâneos, no máximo ``limite`` senhas são conferidas por bloqueio. Um acerto desfaz
        a contagem (``zerar_falhas``).
        """
        momento = de_iso(agora)

        def fn(con: Conexao) -> Tentativa:
            u = _usuario(con.execute("SELECT * FROM usuarios WHERE cpf=?", (cpf,)).fetchone())
            if u is None:
                return Tentativa(None, False, None)
            falhas = u.falhas
            if u.bloqueado_ate:
                if de_iso(u.bloqueado_ate) > momento:
                    return Tentativa(u, False, u.bloqueado_ate)
                falhas = 0  # o bloqueio venceu: a contagem recomeça
            falhas += 1
            ate = bloquear_ate if falhas >= limite else None
            con.execute(
                "UPDATE usuarios SET falhas=?, bloqueado_ate=? WHERE cpf=?", (falhas, ate, cpf)
            )
            return Tentativa(u, True, ate)

        return self.banco.escrever(fn)

    def zerar_falhas(self, cpf: str) -> None:
        """Um login certo desfaz a tentativa reservada: zera a contagem e o bloqueio."""
        self.banco.escrever(
            lambda con: con.execute(
                "UPDATE usuarios SET falhas=0, bloqueado_ate=NULL WHERE cpf=?", (cpf,)
            )
        )

    def criar_sessao(self, token_hash: str, cpf: str, criada: str, expira: str) -> None:
        """Guarda uma sessão nova."""
        self.banco.escrever(
            lambda con: con.execute(
                "INSERT INTO sessoes(token_hash, cpf, criada_em, expira_em) VALUES (?,?,?,?)",
                (token_hash, cpf, criada, expira),
            )
        )

    def sessao(self, token_hash: str) -> m.Sessao | None:
        """A sessão desse token (revogada ou não)."""
        r = self.banco.um("SELECT * FROM sessoes WHERE token_hash=?", (token_hash,))
        if r is None:
            return None
        return m.Sessao(
            r["token_hash"], r["cpf"], r["criada_em"], r["expira_em"], bool(r["revogada"])
        )

    def revogar_sessao(self, token_hash: str) -> None:
        """Encerra uma sessão."""
        self.banco.escrever(
            lambda con: con.execute(
                "UPDATE sessoes SET revogada=1 WHERE token_hash=?", (token_hash,)
            )
        )

    def usar_documento(self, digest: str, tipo: str, cpf: str, momento: str) -> None:
        """Marca um documento assinado como usado; ``ConflitoEstado("documento_reutilizado")``
        se já estava."""
        self.banco.escrever(lambda con: _usar_documento(con, digest, tipo, cpf, momento))

    def documento_usado(self, digest: str) -> bool:
        """Se esse documento assinado já foi usado num ato."""
        return (
            self.banco.um("SELECT 1 FROM documentos_usados WHERE digest=?", (digest,)) is not None
        )

    # --- transmissões -----------------------------------------------------------------------

    def transmissao(self, protocolo: str) -> m.Transmissao | None:
        """A transmissão com esse protocolo."""
        return _transmissao(
            self.banco.um("SELECT * FROM transmissoes WHERE protocolo=?", (protocolo,))
        )

    def transmissao_por_digest(self, digest: str) -> m.Transmissao | None:
        """A transmissão aceita com esse conteúdo."""
        return _transmissao(self.banco.um("SELECT * FROM transmissoes WHERE digest=?", (digest,)))

    def vigente(self, ente: str, exercicio: int, bimestre: int) -> m.Transmissao | None:
        """A transmissão que vale para o período (transmitida ou homologada)."""
        return _transmissao(
            self.banco.um(
                "SELECT * FROM transmissoes WHERE ente=? AND exercicio=? AND bimestre=? "
                "AND situacao IN ('transmitido','homologado')",
                (ente, exercicio, bimestre),
            )
        )

    def houve_entrega(self, ente: str, exercicio: int, bimestre: int) -> bool:
        """Se o período foi entregue aqui (qualquer transmissão aceita) ou fora (registro do
        administrador)."""
        par = (ente, exercicio, bimestre)
        return (
            self.banco.um(
                "SELECT 1 FROM transmissoes WHERE ente=? AND exercicio=? AND bimestre=? LIMIT 1",
                par,
            )
            is not None
            or self.banco.um(
                "SELECT 1 FROM entregas_externas WHERE ente=? AND exercicio=? AND bimestre=?", par
            )
            is not None
        )

    def aceitar(self, nova: NovaTransmissao) -> tuple[m.Transmissao, bool]:
        """Registra a transmissão (o arquivo já está guardado) e devolve ``(transmissao, nova)``.

        Dentro da transação: o mesmo digest já aceito devolve o existente com ``False``; se o
        período está homologado, exige uma retransmissão autorizada (consome-a e anula a
        homologação) ou levanta ``ConflitoEstado("periodo_homologado")``; uma transmissão
        vigente não homologada passa a ``substituida``.
        """

        def fn(con: Conexao) -> tuple[m.Transmissao, bool]:
            r = con.execute("SELECT * FROM transmissoes WHERE digest=?", (nova.digest,)).fetchone()
            if r is not None:
                return _transmissao(r), False  # type: ignore[return-value]
            periodo = (nova.ente, nova.exercicio, nova.bimestre)
            atual = _transmissao(
                con.execute(
                    "SELECT * FROM transmissoes WHERE ente=? AND exercicio=? AND bimestre=? "
                    "AND situacao IN ('transmitido','homologado')",
                    periodo,
                ).fetchone()
            )
            retransmissao_id = None
            if atual is not None and atual.situacao == m.HOMOLOGADO:
                aut = con.execute(
                    "SELECT id FROM retransmissoes WHERE ente=? AND exercicio=? AND bimestre=? "
                    "AND situacao='autorizada' ORDER BY id LIMIT 1",
                    periodo,
                ).fetchone()
                if aut is None:
                    raise ConflitoEstado("periodo_homologado", atual)
                retransmissao_id = aut["id"]
                con.execute(
                    "UPDATE homologacoes SET anulada_em=? WHERE protocolo=? AND anulada_em IS NULL",
                    (nova.recebido_em, atual.protocolo),
                )
                con.execute(
                    "UPDATE transmissoes SET situacao='homologacao_anulada' WHERE id=?",
                    (atual.id,),
                )
            elif atual is not None:
                con.execute(
                    "UPDATE transmissoes SET situacao='substituida' WHERE id=?", (atual.id,)
                )
            proximo = self.banco.proximo_id(con, "transmissoes")
            protocolo = f"{nova.recebido_em[:4]}{proximo:09d}"
            con.execute(
                "INSERT INTO transmissoes(id, protocolo, digest, ente, uf, exercicio, bimestre, "
                "tamanho, signatario_cpf, signatario_nome, usuario_cpf, recebido_em, situacao, "
                "avisos, retransmissao_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    proximo,
                    protocolo,
                    nova.digest,
                    nova.ente,
                    nova.uf,
                    nova.exercicio,
                    nova.bimestre,
                    nova.tamanho,
                    nova.signatario_cpf,
                    nova.signatario_nome,
                    nova.usuario_cpf,
                    nova.recebido_em,
                    m.TRANSMITIDO,
                    nova.avisos,
                    retransmissao_id,
                ),
            )
            if retransmissao_id is not None:
                con.execute(
                    "UPDATE retransmissoes SET situacao='utilizada', utilizada_por=? WHERE id=?",
                    (protocolo, retransmissao_id),
                )
            r = con.execute("SELECT * FROM transmissoes WHERE id=?", (proximo,)).fetchone()
            return _transmissao(r), True  # type: ignore[return-value]

        return self.banco.escrever(fn)

    def definir_recibo(self, protocolo: str, recibo: str) -> None:
        """Guarda o recibo assinado de uma transmissão."""
        self.banco.escrever(
            lambda con: con.execute(
                "UPDATE transmissoes SET recibo=? WHERE protocolo=? AND recibo IS NULL",
                (recibo, protocolo),
            )
        )

    def listar_transmissoes(self) -> list[m.Transmissao]:
        """Todas as transmissões aceitas, em ordem de chegada."""
        linhas = self.banco.consultar("SELECT * FROM transmissoes ORDER BY id")
        return [t for t in map(_transmissao, linhas) if t is not None]

    def vigentes_do_periodo(
        self, uf: str, exercicio: int, bimestre: int
    ) -> dict[str, m.Transmissao]:
        """As transmissões vigentes de um período numa UF, por código de ente."""
        linhas = self.banco.consultar(
            "SELECT * FROM transmissoes WHERE uf=? AND exercicio=? AND bimestre=? "
            "AND situacao IN ('transmitido','homologado')",
            (uf, exercicio, bimestre),
        )
        return {r["ente"]: _transmissao(r) for r in linhas}  # type: ignore[misc]

    def registrar_recusa(
        self, digest: str | None, codigo: str, erro: str, cpf: str | None, momento: str
    ) -> None:
        """Anota uma transmissão recusada (para auditoria; o arquivo não é guardado)."""
        self.banco.escrever(
            lambda con: con.execute(
                "INSERT INTO recusas(digest, codigo, erro, cpf, em) VALUES (?,?,?,?,?)",
                (digest, codigo, erro, cpf, momento),
            )
        )

    # --- homologação ------------------------------------------------------------------------

    def homologacao(self, protocolo: str) -> m.Homologacao | None:
        """A homologação válida (não anulada) de um protocolo."""
        return _homologacao(
            self.banco.um(
                "SELECT * FROM homologacoes WHERE protocolo=? AND anulada_em IS NULL",
                (protocolo,),
            )
        )

    def homologar(
        self,
        protocolo: str,
        cpf: str,
        nome: str,
        momento: str,
        documento_digest: str,
        digest_demonstrativo: str | None,
        arquivo_digest: str | None = None,
    ) -> m.Homologacao:
        """Homologa a transmissão vigente ``protocolo``; ``ConflitoEstado`` com
        ``ja_homologado``, ``transmissao_substituida`` ou ``documento_reutilizado``.

        ``documento_digest`` (o do conteúdo assinado) é marcado como usado;
        ``homologacoes.documento_digest`` guarda o endereço do arquivo guardado
        (``arquivo_digest``, o SHA-256 dos bytes recebidos; o mesmo, se omitido)."""

        def fn(con: Conexao) -> m.Homologacao:
            t = con.execute(
                "SELECT situacao FROM transmissoes WHERE protocolo=?", (protocolo,)
            ).fetchone()
            if t is None:
                raise ConflitoEstado("protocolo_desconhecido")
            if t["situacao"] == m.HOMOLOGADO:
                raise ConflitoEstado("ja_homologado")
            if t["situacao"] != m.TRANSMITIDO:
                raise ConflitoEstado("transmissao_substituida")
            _usar_documento(con, documento_digest, "homologacao", cpf, momento)
            r = con.execute(
                "INSERT INTO homologacoes(protocolo, cpf, nome, homologado_em, documento_digest, "
                "digest_demonstrativo) VALUES (?,?,?,?,?,?) RETURNING *",
                (
                    protocolo,
                    cpf,
                    nome,
                    momento,
                    arquivo_digest or documento_digest,
                    digest_demonstrativo,
                ),
            ).fetchone()
            con.execute(
                "UPDATE transmissoes SET situacao='homologado' WHERE protocolo=?", (protocolo,)
            )
            return _homologacao(r)  # type: ignore[return-value]

        return self.banco.escrever(fn)

    def definir_recibo_homologacao(self, homologacao_id: int, recibo: str) -> None:
        """Guarda o recibo assinado de uma homologação."""
        self.banco.escrever(
            lambda con: con.execute(
                "UPDATE homologacoes SET recibo=? WHERE id=? AND recibo IS NULL",
                (recibo, homologacao_id),
            )
        )

    def registrar_demonstrativo(self, homologacao_id: int) -> None:
        """Marca que o PDF assinado pelo gestor foi recebido (o arquivo já está guardado)."""
        self.banco.escrever(
            lambda con: con.execute(
                "UPDATE homologacoes SET demonstrativo_recebido=1 WHERE id=?", (homologacao_id,)
            )
        )

    # --- retransmissão ----------------------------------------------------------------------

    def solicitar_retransmissao(
        self,
        ente: str,
        exercicio: int,
        bimestre: int,
        justificativa: str,
        cpf: str,
        momento: str,
        documento_digest: str,
    ) -> m.Retransmissao:
        """Registra a solicitação; ``ConflitoEstado`` com ``periodo_nao_homologado``,
        ``solicitacao_pendente`` ou ``documento_reutilizado``."""

        def fn(con: Conexao) -> m.Retransmissao:
            periodo = (ente, exercicio, bimestre)
            hom = con.execute(
                "SELECT 1 FROM transmissoes WHERE ente=? AND exercicio=? AND bimestre=? "
                "AND situacao='homologado'",
                periodo,
            ).fetchone()
            if hom is None:
                raise ConflitoEstado("periodo_nao_homologado")
            pend = con.execute(
                "SELECT id FROM retransmissoes WHERE ente=? AND exercicio=? AND bimestre=? "
                "AND situacao IN ('solicitada','autorizada')",
                periodo,
            ).fetchone()
            if pend is not None:
                raise ConflitoEstado("solicitacao_pendente", pend["id"])
            _usar_documento(con, documento_digest, "retransmissao", cpf, momento)
            r = con.execute(
                "INSERT INTO retransmissoes(ente, exercicio, bimestre, justificativa, "
                "solicitante_cpf, solicitada_em, documento_digest, situacao) "
                "VALUES (?,?,?,?,?,?,?,'solicitada') RETURNING *",
                (*periodo, justificativa, cpf, momento, documento_digest),
            ).fetchone()
            return _retransmissao(r)  # type: ignore[return-value]

        return self.banco.escrever(fn)

    def autorizar_retransmissao(
        self, ident: int, admin_cpf: str, observacao: str, momento: str
    ) -> m.Retransmissao:
        """Autoriza uma solicitação; ``ConflitoEstado`` com ``retransmissao_desconhecida`` ou
        ``nao_solicitada`` (detalhe: a situação atual)."""

        def fn(con: Conexao) -> m.Retransmissao:
            r = con.execute("SELECT * FROM retransmissoes WHERE id=?", (ident,)).fetchone()
            if r is None:
                raise ConflitoEstado("retransmissao_desconhecida")
            if r["situacao"] != m.SOLICITADA:
                raise ConflitoEstado("nao_solicitada", r["situacao"])
            con.execute(
                "UPDATE retransmissoes SET situacao='autorizada', autorizada_em=?, "
                "autorizada_por=?, observacao=? WHERE id=?",
                (momento, admin_cpf, observacao, ident),
            )
            r = con.execute("SELECT * FROM retransmissoes WHERE id=?", (ident,)).fetchone()
            return _retransmissao(r)  # type: ignore[return-value]

        return self.banco.escrever(fn)

    def retransmissao(self, ident: int) -> m.Retransmissao | None:
        """A solicitação com esse número."""
        return _retransmissao(self.banco.um("SELECT * FROM retransmissoes WHERE id=?", (ident,)))

    def retransmissoes(
        self, situacao: str | None = None, ente: str | None = None
    ) -> list[m.Retransmissao]:
        """As solicitações, filtradas por situação e/ou ente."""
        sql, par = "SELECT * FROM retransmissoes WHERE 1=1", []
        if situacao:
            sql += " AND situacao=?"
            par.append(situacao)
        if ente:
            sql += " AND ente=?"
            par.append(ente)
        return [_retransmissao(r) for r in self.banco.consultar(sql + " ORDER BY id", par)]  # type: ignore[misc]

    # --- referência e administração ---------------------------------------------------------

    def carregar_referencia(
        self, linhas: Iterable[tuple[str, int, int, str, str]], momento: str
    ) -> int:
        """Grava (substituindo) os valores do FNS; devolve quantas linhas."""
        lista = list(linhas)

        def fn(con: Conexao) -> int:
            con.executemany(
                "INSERT INTO referencia_fns(ente, exercicio, bimestre, item, valor, carregado_em) "
                "VALUES (?,?,?,?,?,?) ON CONFLICT(ente, exercicio, bimestre, item) DO UPDATE "
                "SET valor=excluded.valor, carregado_em=excluded.carregado_em",
                [(*linha, momento) for linha in lista],
            )
            return len(lista)

        return self.banco.escrever(fn)

    def referencia(self, ente: str | None = None, exercicio: int | None = None) -> list[dict]:
        """Os valores do FNS, filtrados por ente e/ou exercício."""
        sql, par = "SELECT * FROM referencia_fns WHERE 1=1", list[object]()
        if ente:
            sql += " AND ente=?"
            par.append(ente)
        if exercicio:
            sql += " AND exercicio=?"
            par.append(exercicio)
        sql += " ORDER BY ente, exercicio, bimestre, item"
        return [dict(r) for r in self.banco.consultar(sql, par)]

    def registrar_entrega_externa(
        self, ente: str, exercicio: int, bimestre: int, momento: str
    ) -> None:
        """Anota que o período foi entregue fora deste servidor (para a regra do 6º bimestre)."""
        self.banco.escrever(
            lambda con: con.execute(
                "INSERT INTO entregas_externas VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
                (ente, exercicio, bimestre, momento),
            )
        )

    def criar_admin(self, cpf: str, nome: str, senha_hash: str, momento: str) -> None:
        """Cria (ou recria, com senha nova) um administrador do servidor;
        ``ConflitoEstado("papel_de_ente", [(ente, papel), …])`` se o CPF tem papel ativo num
        ente."""

        def fn(con: Conexao) -> None:
            de_ente = con.execute(
                "SELECT ente, papel FROM papeis WHERE cpf=? AND papel<>'admin' "
                "AND anulado_em IS NULL ORDER BY id",
                (cpf,),
            ).fetchall()
            if de_ente:  # um administrador nunca é técnico (nem outro papel de ente)
                raise ConflitoEstado("papel_de_ente", [(r["ente"], r["papel"]) for r in de_ente])
            con.execute(
                "INSERT INTO usuarios(cpf, nome, senha_hash) VALUES (?,?,?) ON CONFLICT(cpf) "
                "DO UPDATE SET nome=excluded.nome, senha_hash=excluded.senha_hash, falhas=0, "
                "bloqueado_ate=NULL, senha_pendente_hash=NULL",
                (cpf, nome, senha_hash),
            )
            existe = con.execute(
                "SELECT 1 FROM papeis WHERE cpf=? AND papel='admin' AND anulado_em IS NULL",
                (cpf,),
            ).fetchone()
            if existe is None:
                con.execute(
                    "INSERT INTO papeis(ente, papel, cpf, cadastrado_em) VALUES ('', 'admin', ?, ?)",
                    (cpf, momento),
                )
            con.execute("UPDATE sessoes SET revogada=1 WHERE cpf=?", (cpf,))

        self.banco.escrever(fn, exclusivo="papeis")

    def verificar_integridade(self) -> str:
        """A conferência do próprio banco (``"ok"`` quando íntegro)."""
        return self.banco.verificar_integridade()

    def documentos_de_homologacao(self) -> list[str]:
        """Os digests dos documentos de homologação (guardados como arquivos)."""
        return [r[0] for r in self.banco.consultar("SELECT documento_digest FROM homologacoes")]

    def homologacoes_registradas(self) -> list[m.Homologacao]:
        """Todas as homologações (também as anuladas), em ordem: os documentos guardados."""
        return [
            _homologacao(r)  # type: ignore[misc]
            for r in self.banco.consultar("SELECT * FROM homologacoes ORDER BY id")
        ]

    def vigentes_duplicados(self) -> list[tuple]:
        """Períodos com mais de uma transmissão vigente (deve ser sempre vazio)."""
        return [
            tuple(r)
            for r in self.banco.consultar(
                "SELECT ente, exercicio, bimestre, COUNT(*) FROM transmissoes "
                "WHERE situacao IN ('transmitido','homologado') GROUP BY 1,2,3 HAVING COUNT(*) > 1"
            )
        ]

    def contagens(self) -> dict[str, int]:
        """Quantos registros há em cada tabela principal (diagnóstico e testes)."""
        return {
            t: int(self.banco.consultar(f"SELECT COUNT(*) FROM {t}")[0][0])
            for t in (
                "usuarios",
                "papeis",
                "transmissoes",
                "homologacoes",
                "retransmissoes",
                "recusas",
            )
        }


def avisos_json(avisos: Sequence[dict]) -> str:
    """Os avisos das críticas em JSON (guardados com a transmissão)."""
    return json.dumps(list(avisos), ensure_ascii=False)

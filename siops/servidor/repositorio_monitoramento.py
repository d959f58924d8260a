"""O SQL do monitoramento (issue 25), comum ao SQLite e ao PostgreSQL: notificações, Sem
Balanço, técnicos de Tribunal de Contas e os números deles, códigos SIAFI, e as consultas em
lote de que a situação dos entes precisa (``monitoramento``).

Misturado em ``repositorio_sql.RepositorioSQL`` (o mesmo ``banco``). As operações que não podem
se repetir confiam nos índices únicos da revisão 0003: uma notificação por evento e pessoa, um
Sem Balanço ativo por ente e exercício, um técnico ativo por CPF, um registro vigente do
Tribunal de Contas por ente e exercício.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from siops.servidor import modelos as m
from siops.servidor.repositorio import ConflitoEstado, NovaNotificacao, NovoControleExterno

Linha = Any


def _notificacao(r: Linha) -> m.Notificacao:
    return m.Notificacao(**{k: r[k] for k in m.Notificacao.__slots__})


def _sem_balanco(r: Linha) -> m.SemBalanco:
    return m.SemBalanco(**{k: r[k] for k in m.SemBalanco.__slots__})


def _controle(r: Linha) -> m.ControleExterno:
    return m.ControleExterno(**{k: r[k] for k in m.ControleExterno.__slots__})


def homologacao_de_linha(r: Linha) -> m.Homologacao:
    """A ``Homologacao`` from its row (also used by ``repositorio_sql``)."""
    return m.Homologacao(
        r["id"],
        r["protocolo"],
        r["cpf"],
        r["nome"],
        r["homologado_em"],
        r["documento_digest"],
        r["digest_demonstrativo"],
        bool(r["demonstrativo_recebido"]),
        r["anulada_em"],
        r["recibo"],
    )


class MonitoramentoSQL:
    """As operações de monitoramento do ``Repositorio`` (ver a docstring do módulo)."""

    banco: Any

    # --- notificações -------------------------------------------------------------------------

    def reservar_notificacao(self, n: NovaNotificacao, momento: str) -> int | None:
        """Reserva o envio (``situacao='enviando'``) e devolve o id; ``None`` se o evento já
        foi enviado a essa pessoa, ou está sendo enviado. Uma reserva que falhou (``falha``) é
        retomada aqui. Uma reserva interrompida no meio (o processo morreu entre reservar e
        enviar) fica ``enviando``: melhor não enviar do que enviar duas vezes."""

        def fn(con: Any) -> int | None:
            r = con.execute(
                "SELECT id, situacao FROM notificacoes WHERE evento=? AND cpf=?",
                (n.evento, n.cpf),
            ).fetchone()
            if r is None:
                novo = con.execute(
                    "INSERT INTO notificacoes(evento, tipo, ente, exercicio, bimestre, protocolo, "
                    "cpf, nome, papel, email, assunto, motivo, situacao, criada_em, tentativas) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'enviando',?,1) RETURNING id",
                    (
                        n.evento,
                        n.tipo,
                        n.ente,
                        n.exercicio,
                        n.bimestre,
                        n.protocolo,
                        n.cpf,
                        n.nome,
                        n.papel,
                        n.email,
                        n.assunto,
                        n.motivo,
                        momento,
                    ),
                ).fetchone()
                return int(novo["id"])
            if r["situacao"] != m.FALHA:
                return None
            con.execute(
                "UPDATE notificacoes SET situacao='enviando', tentativas=tentativas+1, email=?, "
                "assunto=?, motivo=? WHERE id=? AND situacao='falha'",
                (n.email, n.assunto, n.motivo, r["id"]),
            )
            return int(r["id"])

        return self.banco.escrever(fn)

    def concluir_notificacao(self, ident: int, enviada_em: str) -> None:
        """Registra a entrega ao SMTP (ou à pasta do correio): a data que conta os prazos."""
        self.banco.escrever(
            lambda con: con.execute(
                "UPDATE notificacoes SET situacao='enviada', enviada_em=?, erro=NULL WHERE id=?",
                (enviada_em, ident),
            )
        )

    def falhar_notificacao(self, ident: int, erro: str) -> None:
        """O SMTP recusou ou não respondeu: a próxima passagem tenta de novo."""
        self.banco.escrever(
            lambda con: con.execute(
                "UPDATE notificacoes SET situacao='falha', erro=? WHERE id=?", (erro[:500], ident)
            )
        )

    def notificacoes(
        self, ente: str | None = None, exercicio: int | None = None
    ) -> list[m.Notificacao]:
        """As notificações registradas (em ordem), filtradas por ente e/ou exercício."""
        sql, par = "SELECT * FROM notificacoes WHERE 1=1", list[object]()
        if ente:
            sql += " AND ente=?"
            par.append(ente)
        if exercicio:
            sql += " AND exercicio=?"
            par.append(exercicio)
        return [_notificacao(r) for r in self.banco.consultar(sql + " ORDER BY id", par)]

    def envios_de_eventos(self, eventos: Iterable[str]) -> dict[str, str]:
        """O primeiro ``enviada_em`` de cada evento enviado (a lista vai em lotes de 500)."""
        lista = sorted(set(eventos))
        out: dict[str, str] = {}
        for i in range(0, len(lista), 500):
            lote = lista[i : i + 500]
            marcas = ",".join("?" * len(lote))
            for r in self.banco.consultar(
                f"SELECT evento, MIN(enviada_em) FROM notificacoes WHERE evento IN ({marcas}) "
                "AND situacao='enviada' GROUP BY evento",
                lote,
            ):
                out[r[0]] = r[1]
        return out

    # --- Sem Balanço --------------------------------------------------------------------------

    def registrar_sem_balanco(
        self, ente: str, exercicio: int, justificativa: str, oficio: str, por: str, momento: str
    ) -> m.SemBalanco:
        """Classifica o ente como Sem Balanço no exercício; ``ConflitoEstado`` com
        ``sem_balanco_existente`` (detalhe: o registro ativo) se já está."""

        def fn(con: Any) -> m.SemBalanco:
            r = con.execute(
                "SELECT * FROM sem_balanco WHERE ente=? AND exercicio=? AND revertido_em IS NULL",
                (ente, exercicio),
            ).fetchone()
            if r is not None:
                raise ConflitoEstado("sem_balanco_existente", _sem_balanco(r))
            r = con.execute(
                "INSERT INTO sem_balanco(ente, exercicio, justificativa, oficio, registrado_em, "
                "registrado_por) VALUES (?,?,?,?,?,?) RETURNING *",
                (ente, exercicio, justificativa, oficio, momento, por),
            ).fetchone()
            return _sem_balanco(r)

        return self.banco.escrever(fn)

    def reverter_sem_balanco(
        self, ente: str, exercicio: int, por: str, motivo: str, momento: str
    ) -> m.SemBalanco:
        """Encerra a classificação ativa; ``ConflitoEstado("sem_balanco_inexistente")``."""

        def fn(con: Any) -> m.SemBalanco:
            r = con.execute(
                "SELECT id FROM sem_balanco WHERE ente=? AND exercicio=? AND revertido_em IS NULL",
                (ente, exercicio),
            ).fetchone()
            if r is None:
                raise ConflitoEstado("sem_balanco_inexistente")
            r = con.execute(
                "UPDATE sem_balanco SET revertido_em=?, revertido_por=?, motivo_reversao=? "
                "WHERE id=? RETURNING *",
                (momento, por, motivo, r["id"]),
            ).fetchone()
            return _sem_balanco(r)

        return self.banco.escrever(fn)

    def sem_balanco(
        self, ente: str | None = None, exercicio: int | None = None
    ) -> list[m.SemBalanco]:
        """As classificações ativas (não revertidas), filtradas por ente e/ou exercício."""
        sql, par = "SELECT * FROM sem_balanco WHERE revertido_em IS NULL", list[object]()
        if ente:
            sql += " AND ente=?"
            par.append(ente)
        if exercicio:
            sql += " AND exercicio=?"
            par.append(exercicio)
        return [_sem_balanco(r) for r in self.banco.consultar(sql + " ORDER BY id", par)]

    # --- Módulo de Controle Externo -----------------------------------------------------------

    def cadastrar_tecnico_tc(
        self,
        cpf: str,
        nome: str,
        email: str,
        tribunal: str,
        alcance: Sequence[str],
        por: str,
        momento: str,
    ) -> m.TecnicoTC:
        """Cadastra (ou recadastra: o cadastro ativo anterior do CPF é anulado) o técnico."""

        def fn(con: Any) -> m.TecnicoTC:
            con.execute(
                "UPDATE tecnicos_tc SET anulado_em=? WHERE cpf=? AND anulado_em IS NULL",
                (momento, cpf),
            )
            r = con.execute(
                "INSERT INTO tecnicos_tc(cpf, nome, email, tribunal, cadastrado_em, "
                "cadastrado_por) VALUES (?,?,?,?,?,?) RETURNING *",
                (cpf, nome, email, tribunal, momento, por),
            ).fetchone()
            con.executemany(
                "INSERT INTO jurisdicoes_tc(tecnico_id, alcance) VALUES (?,?)",
                [(r["id"], a) for a in sorted(set(alcance))],
            )
            return m.TecnicoTC(
                r["id"],
                cpf,
                nome,
                email,
                tribunal,
                momento,
                por,
                None,
                tuple(sorted(set(alcance))),
            )

        return self.banco.escrever(fn)

    def anular_tecnico_tc(self, cpf: str, momento: str) -> bool:
        """Anula o cadastro ativo do CPF; ``False`` se não havia."""

        def fn(con: Any) -> bool:
            cur = con.execute(
                "UPDATE tecnicos_tc SET anulado_em=? WHERE cpf=? AND anulado_em IS NULL",
                (momento, cpf),
            )
            return bool(cur.rowcount)

        return self.banco.escrever(fn)

    def tecnicos_tc(self, cpf: str | None = None) -> list[m.TecnicoTC]:
        """Os técnicos ativos (de um CPF, se dado), com a jurisdição."""
        sql, par = "SELECT * FROM tecnicos_tc WHERE anulado_em IS NULL", list[object]()
        if cpf:
            sql += " AND cpf=?"
            par.append(cpf)
        linhas = self.banco.consultar(sql + " ORDER BY id", par)
        out = []
        for r in linhas:
            alcance = tuple(
                x[0]
                for x in self.banco.consultar(
                    "SELECT alcance FROM jurisdicoes_tc WHERE tecnico_id=? ORDER BY alcance",
                    (r["id"],),
                )
            )
            out.append(
                m.TecnicoTC(
                    r["id"],
                    r["cpf"],
                    r["nome"],
                    r["email"],
                    r["tribunal"],
                    r["cadastrado_em"],
                    r["cadastrado_por"],
                    r["anulado_em"],
                    alcance,
                )
            )
        return out

    def registrar_controle_externo(self, novo: NovoControleExterno) -> m.ControleExterno:
        """Registra os números do Tribunal de Contas (o documento assinado vale uma vez:
        ``ConflitoEstado("documento_reutilizado")``); o registro vigente anterior do mesmo ente
        e exercício passa a substituído."""

        def fn(con: Any) -> m.ControleExterno:
            try:
                con.execute(
                    "INSERT INTO documentos_usados(digest, tipo, cpf, usado_em) VALUES (?,?,?,?)",
                    (novo.documento_digest, "controle_externo", novo.cpf, novo.registrado_em),
                )
            except Exception as exc:
                from siops.servidor.repositorio_sql import violacao_unica

                if violacao_unica(exc):
                    raise ConflitoEstado("documento_reutilizado") from None
                raise
            con.execute(
                "UPDATE controle_externo SET substituido_em=? WHERE ente=? AND exercicio=? "
                "AND substituido_em IS NULL",
                (novo.registrado_em, novo.ente, novo.exercicio),
            )
            r = con.execute(
                "INSERT INTO controle_externo(ente, exercicio, valor_aplicado, percentual, "
                "tribunal, cpf, nome, observacao, documento_digest, registrado_em) "
                "VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING *",
                (
                    novo.ente,
                    novo.exercicio,
                    novo.valor_aplicado,
                    novo.percentual,
                    novo.tribunal,
                    novo.cpf,
                    novo.nome,
                    novo.observacao,
                    novo.documento_digest,
                    novo.registrado_em,
                ),
            ).fetchone()
            return _controle(r)

        return self.banco.escrever(fn)

    def controles_externos(
        self, ente: str | None = None, exercicio: int | None = None
    ) -> list[m.ControleExterno]:
        """Os registros vigentes do Tribunal de Contas, filtrados por ente e/ou exercício."""
        sql, par = "SELECT * FROM controle_externo WHERE substituido_em IS NULL", list[object]()
        if ente:
            sql += " AND ente=?"
            par.append(ente)
        if exercicio:
            sql += " AND exercicio=?"
            par.append(exercicio)
        return [_controle(r) for r in self.banco.consultar(sql + " ORDER BY id", par)]

    # --- códigos SIAFI ------------------------------------------------------------------------

    def carregar_siafi(self, pares: Iterable[tuple[str, str]], momento: str) -> int:
        """Grava (substituindo) os códigos SIAFI dos entes; devolve quantos."""
        lista = list(pares)

        def fn(con: Any) -> int:
            con.executemany(
                "INSERT INTO codigos_siafi(ente, siafi, carregado_em) VALUES (?,?,?) "
                "ON CONFLICT(ente) DO UPDATE SET siafi=excluded.siafi, "
                "carregado_em=excluded.carregado_em",
                [(e, s, momento) for e, s in lista],
            )
            return len(lista)

        return self.banco.escrever(fn)

    def codigos_siafi(self) -> dict[str, str]:
        """Código do ente → código SIAFI."""
        return {r[0]: r[1] for r in self.banco.consultar("SELECT ente, siafi FROM codigos_siafi")}

    # --- consultas em lote para a situação dos entes ------------------------------------------

    def vigentes(
        self, exercicio: int, bimestre: int | None = None, uf: str | None = None
    ) -> list[m.Transmissao]:
        """As transmissões vigentes (transmitidas ou homologadas) de um exercício."""
        sql = (
            "SELECT * FROM transmissoes WHERE exercicio=? "
            "AND situacao IN ('transmitido','homologado')"
        )
        par: list[object] = [exercicio]
        if bimestre is not None:
            sql += " AND bimestre=?"
            par.append(bimestre)
        if uf:
            sql += " AND uf=?"
            par.append(uf)
        return [
            m.Transmissao(**{k: r[k] for k in r.keys()})
            for r in self.banco.consultar(sql + " ORDER BY id", par)
        ]

    def homologacoes_vigentes(self, exercicio: int, bimestre: int) -> dict[str, m.Homologacao]:
        """As homologações válidas das transmissões homologadas do período, por protocolo."""
        linhas = self.banco.consultar(
            "SELECT h.* FROM homologacoes h JOIN transmissoes t ON t.protocolo = h.protocolo "
            "WHERE t.exercicio=? AND t.bimestre=? AND t.situacao='homologado' "
            "AND h.anulada_em IS NULL",
            (exercicio, bimestre),
        )
        return {r["protocolo"]: homologacao_de_linha(r) for r in linhas}

    def ultimas_homologacoes_anuladas(self, exercicio: int, bimestre: int) -> dict[str, int]:
        """Por ente, o id da homologação anulada mais recente do período."""
        linhas = self.banco.consultar(
            "SELECT t.ente, MAX(h.id) FROM homologacoes h JOIN transmissoes t "
            "ON t.protocolo = h.protocolo WHERE t.exercicio=? AND t.bimestre=? "
            "AND h.anulada_em IS NOT NULL GROUP BY t.ente",
            (exercicio, bimestre),
        )
        return {r[0]: int(r[1]) for r in linhas}

    def entregas_externas(self, exercicio: int, bimestre: int) -> set[str]:
        """Os entes com o período registrado como entregue fora deste servidor."""
        return {
            r[0]
            for r in self.banco.consultar(
                "SELECT ente FROM entregas_externas WHERE exercicio=? AND bimestre=?",
                (exercicio, bimestre),
            )
        }

    def gestores_com_email(self, papeis: Sequence[str]) -> list[tuple[m.Papel, str]]:
        """Os papéis ativos ``papeis`` cujo titular tem e-mail registrado, com o e-mail."""
        marcas = ",".join("?" * len(papeis))
        linhas = self.banco.consultar(
            "SELECT p.*, u.nome, u.email FROM papeis p JOIN usuarios u ON u.cpf = p.cpf "
            f"WHERE p.anulado_em IS NULL AND p.papel IN ({marcas}) AND u.email <> '' "
            "ORDER BY p.ente, p.id",
            list(papeis),
        )
        return [
            (
                m.Papel(
                    r["id"],
                    r["ente"],
                    r["papel"],
                    r["cpf"],
                    r["nome"],
                    r["cadastrado_por"],
                    r["cadastrado_em"],
                    r["anulado_em"],
                ),
                r["email"],
            )
            for r in linhas
        ]

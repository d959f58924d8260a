"""Recepção do servidor (issues 8 e 23): quão perto ele chega do que o seu trabalho inevitável
custa, e se cresce com os workers.

(a) **Piso de CPU.** O custo, por envio, dos passos que nenhum servidor correto pode pular,
    medido num laço apertado neste processo (sem HTTP, sem banco, sem disco): a verificação
    da assinatura com a cadeia (``documentos.verificar_assinatura``: XMLDSig, cadeia até a raiz,
    política, CPF), a leitura endurecida + XSD (``ops_format.de_bytes``, que também monta a
    declaração que as críticas leem), as críticas (``criticas.verificar``) e a assinatura do
    recibo (``Emissor.transmissao``). A soma é o piso; ``núcleos ÷ piso`` é o **teto** de
    recepções por segundo desta máquina.
(b) **Recepção completa.** O servidor real (``python -m siops.servidor``, processos próprios,
    127.0.0.1) recebendo declarações cheias assinadas, cada uma de um ente diferente, de 16 e
    de 32 clientes simultâneos (threads deste processo; uma conexão nova por envio, como os
    transmissores dos entes): SQLite com 1 worker e PostgreSQL com 1, 2 e 4 workers (o
    PostgreSQL é o cluster descartável de ``tests/apoio_postgres``, com ``fsync`` e
    ``synchronous_commit`` ligados). Vazão e latências p50/p99, cada vazão como fração do teto.

Para onde vai o resto do tempo: durante cada rajada, a CPU de cada grupo de processos é lida
de ``/proc`` (o servidor com os seus workers e processos de verificação, o PostgreSQL, os
clientes deste processo, o resto da máquina — os outros usuários — e o ocioso); a camada HTTP
é medida à parte em cada servidor (pedidos recusados cedo, antes da verificação); e a recepção
é perfilada sem HTTP, neste processo (``autenticacao.autenticar`` + ``recepcao.receber``, com
cada parte medida por dentro, e sob cProfile). A seção do ``docs/performance.md`` sai de
``secoes_markdown()``; a carga da máquina (``os.getloadavg``) vai ao lado de cada medida.

Metas (issue 23): ≥ 60% do teto com PostgreSQL e tantos workers quanto núcleos; p99 ≤ 200 ms a
16 clientes numa máquina calma; vazão que cresce com os workers até acabarem os núcleos.

    python -m bench --so servidor              # completo (800 envios por medida)
    python -m bench --so servidor --rapido     # 64 envios por medida, todas as combinações
"""

from __future__ import annotations

import cProfile
import datetime as dt
import hashlib
import http.client
import json
import os
import pstats
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.medir import linha, mediana
from siops.servidor.local import ServidorLocal

RAIZ = Path(__file__).resolve().parent.parent
EXERCICIO = 2025
NIVEIS = (16, 32)
#: (banco, workers) medidos, na ordem da tabela.
CONFIGS = (("SQLite", 1), ("PostgreSQL", 1), ("PostgreSQL", 2), ("PostgreSQL", 4))
TECNICOS = max(NIVEIS)
SENHA = "senha-do-benchmark"
META_FRACAO = 0.60
META_P99_MS = 200.0

_TICK = os.sysconf("SC_CLK_TCK")

#: O que a última execução de ``main`` mediu (para ``secoes_markdown``).
_ULTIMO: dict[str, Any] = {}


def nucleos() -> int:
    """Os núcleos que este processo (e o servidor que ele parte) pode usar."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover (não Linux)
        return os.cpu_count() or 1


def _carga() -> str:
    um, cinco, quinze = os.getloadavg()
    return f"{um:.2f} / {cinco:.2f} / {quinze:.2f}".replace(".", ",")


# --- preparação ---------------------------------------------------------------------------


def _cpf(n: int) -> str:
    base = f"{400_000_000 + n:09d}"
    d = base
    for k in (9, 10):
        soma = sum(int(d[i]) * (k + 1 - i) for i in range(k))
        d += str((soma * 10) % 11 % 10)
    return d


@dataclass
class Envio:
    """Uma declaração assinada, de um ente, pelo técnico ``tecnico``."""

    tecnico: int
    ente: str
    corpo: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.corpo).hexdigest()


@dataclass
class Preparo:
    """A PKI de teste, os técnicos e as declarações de cada lote."""

    pasta: Path
    raiz_pem: Path
    cpfs: list[str]
    senha_hash: str
    tokens: list[str]
    lotes: dict[str, list[Envio]]

    def entes(self) -> list[tuple[int, str]]:
        return [(e.tecnico, e.ente) for lote in self.lotes.values() for e in lote]


def preparar(pasta: Path, aquecimento: int, n: int) -> Preparo:
    """A hierarquia de teste, ``TECNICOS`` e-CPFs (uma chave RSA para todos) e as declarações
    cheias assinadas: um lote de aquecimento (16 clientes) e um de ``n`` para cada nível de
    clientes; cada declaração é de um município diferente e o envio ``i`` do nível ``C`` é do
    técnico ``i mod C`` (cada cliente transmite pelos entes do seu técnico)."""
    from siops import ops_format
    from siops.assinatura.assinador import AssinadorChave
    from siops.assinatura.xmldsig import assinar
    from siops.forms.entes import ente, municipios
    from siops.forms.gerador import declaracao_cheia
    from siops.servidor import senhas
    from siops.transmissor import icp_teste

    hier = icp_teste.gerar_hierarquia(pasta / "pki")
    chave = icp_teste.nova_chave()
    cpfs = [_cpf(k) for k in range(TECNICOS)]
    assinadores = []
    for k, cpf in enumerate(cpfs):
        e = icp_teste.emitir_ecpf(hier, f"TECNICO {k} DO BENCHMARK", cpf, chave=chave)
        assinadores.append(AssinadorChave(e.chave, e.cert, e.cadeia))
    tamanhos = {"aquecimento": (aquecimento, 16), **{str(c): (n, c) for c in NIVEIS}}
    # Brasília (M530010) declara como o DF (E53): fica de fora, os outros 5.569 servem
    livres = iter(m for m in municipios() if ente(m.codigo).codigo == m.codigo)
    lotes: dict[str, list[Envio]] = {}
    for nome, (quantos, clientes) in tamanhos.items():
        lote = []
        for i in range(quantos):
            m = next(livres)
            k = i % clientes
            d = declaracao_cheia(m, EXERCICIO, 1, i + 1)
            lote.append(Envio(k, m.codigo, assinar(ops_format.para_bytes(d), assinadores[k])))
        lotes[nome] = lote
    return Preparo(
        pasta=pasta,
        raiz_pem=hier.raiz_pem,
        cpfs=cpfs,
        senha_hash=senhas.hash_senha(SENHA),
        tokens=[senhas.gerar_token() for _ in cpfs],
        lotes=lotes,
    )


def _config(p: Preparo, url_banco: str) -> dict[str, Any]:
    """O ``servidor.json`` do benchmark (sem a passagem periódica de notificações, que não é
    recepção)."""
    from dataclasses import fields

    from siops.servidor.config import Config

    conf: dict[str, Any] = {
        "url_banco": url_banco,
        "raizes": [str(p.raiz_pem)],
        "primeiro_exercicio": EXERCICIO,
    }
    if "intervalo_notificacoes_segundos" in {f.name for f in fields(Config)}:
        conf["intervalo_notificacoes_segundos"] = 0
    return conf


def cadastrar(dados: Path, p: Preparo) -> None:
    """Os técnicos de cada ente (direto no banco, como ``admin``) e uma sessão aberta para cada
    técnico (o login por senha é argon2: custo do login, não da recepção)."""
    from siops.servidor import config, senhas
    from siops.servidor.contexto import Contexto
    from siops.servidor.tempo import agora, iso

    ctx = Contexto.abrir(config.carregar(dados), pool=False)
    try:
        momento = agora()
        for k, ente in p.entes():
            ctx.repo.cadastrar(
                ente,
                "tecnico",
                p.cpfs[k],
                f"Técnico {k} do benchmark",
                f"tec{k}@exemplo.gov.br",
                "",
                None,
                (),
                None,
                p.senha_hash,
                iso(momento),
            )
        expira = momento + dt.timedelta(hours=8)
        for cpf, token in zip(p.cpfs, p.tokens, strict=True):
            ctx.repo.criar_sessao(senhas.hash_token(token), cpf, iso(momento), iso(expira))
    finally:
        ctx.fechar()


# --- (a) o piso de CPU --------------------------------------------------------------------


def piso(p: Preparo, dados: Path, amostra: int, repeticoes: int) -> dict[str, float]:
    """Segundos por envio de cada passo inevitável, num laço apertado (ver a docstring)."""
    from lxml import etree

    from siops import criticas, ops_format
    from siops.servidor import config, documentos
    from siops.servidor import modelos as m
    from siops.servidor.chaves import carregar_ou_gerar
    from siops.servidor.contexto import carregar_pems, politica_revogacao
    from siops.servidor.recibos import Emissor

    cfg = config.carregar(dados)
    raizes, inter = carregar_pems(cfg.raizes), carregar_pems(cfg.intermediarios)
    revogacao = politica_revogacao(cfg)  # a mesma do servidor (estrita)
    corpos = [e.corpo for e in p.lotes["aquecimento"][:amostra]]
    verificados = [
        documentos.verificar_assinatura(c, raizes, inter, revogacao=revogacao) for c in corpos
    ]
    conteudos = [
        etree.tostring(v.raiz, xml_declaration=True, encoding="UTF-8") for v in verificados
    ]
    declaracoes = [ops_format.de_bytes(c, "recebido") for c in conteudos]
    emissor = Emissor(carregar_ou_gerar(cfg.pasta_chaves, cfg.nome_servidor))
    transmissoes = [
        m.Transmissao(
            id=i + 1,
            protocolo=f"{EXERCICIO}{i + 1:09d}",
            digest=hashlib.sha256(c).hexdigest(),
            ente=d.ente.codigo,
            uf=d.ente.uf,
            exercicio=EXERCICIO,
            bimestre=1,
            tamanho=len(c),
            signatario_cpf=v.fatos.cpf or "",
            signatario_nome=v.fatos.nome,
            usuario_cpf=v.fatos.cpf or "",
            recebido_em="2025-03-10T10:00:00-03:00",
            situacao="transmitido",
            recibo=None,
            avisos="[]",
            retransmissao_id=None,
        )
        for i, (c, d, v) in enumerate(zip(corpos, declaracoes, verificados, strict=True))
    ]

    def laco(fn: Any, itens: list[Any]) -> float:
        return mediana(lambda: [fn(x) for x in itens], repeticoes) / len(itens)

    return {
        "assinatura": laco(
            lambda c: documentos.verificar_assinatura(c, raizes, inter, revogacao=revogacao),
            corpos,
        ),
        "xsd": laco(lambda c: ops_format.de_bytes(c, "recebido"), conteudos),
        "criticas": laco(lambda d: criticas.verificar(d, None), declaracoes),
        "recibo": laco(emissor.transmissao, transmissoes),
    }


# --- CPU por grupo de processos (/proc) ---------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def descendentes(raiz: int) -> list[int]:
    """``raiz`` e todos os processos abaixo dela."""
    filhos: dict[int, list[int]] = defaultdict(list)
    for nome in os.listdir("/proc"):
        if nome.isdigit():
            campos = _stat(int(nome))
            if campos is not None:
                filhos[int(campos[1])].append(int(nome))
    saida, pilha = [raiz], [raiz]
    while pilha:
        for c in filhos.get(pilha.pop(), []):
            saida.append(c)
            pilha.append(c)
    return saida


def cpu_por_pid(pids: list[int]) -> dict[int, float]:
    """Segundos de CPU (usuário + sistema) de cada processo vivo."""
    saida = {}
    for pid in pids:
        campos = _stat(pid)
        if campos is not None:
            saida[pid] = (int(campos[11]) + int(campos[12])) / _TICK
    return saida


def cpu_da_maquina() -> tuple[float, float]:
    """(segundos ocupados, segundos totais) somados sobre todos os núcleos (``/proc/stat``)."""
    with open("/proc/stat", encoding="ascii") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return (sum(v) - v[3] - v[4]) / _TICK, sum(v) / _TICK


@dataclass
class Grupos:
    """Onde procurar a CPU de cada grupo: o servidor e o PostgreSQL (PIDs raiz)."""

    servidor: int
    postgres: int | None

    def ler(self) -> dict[str, Any]:
        return {
            "servidor": cpu_por_pid(descendentes(self.servidor)),
            "postgres": cpu_por_pid(descendentes(self.postgres)) if self.postgres else {},
            "clientes": time.process_time(),
            "maquina": cpu_da_maquina(),
        }


def _delta(antes: dict[int, float], depois: dict[int, float]) -> float:
    return sum(v - antes.get(pid, 0.0) for pid, v in depois.items())


def cpu_entre(a: dict[str, Any], b: dict[str, Any]) -> dict[str, float]:
    """Segundos de CPU de cada grupo entre duas leituras, e o resto da máquina e o ocioso."""
    servidor = _delta(a["servidor"], b["servidor"])
    postgres = _delta(a["postgres"], b["postgres"])
    clientes = b["clientes"] - a["clientes"]
    ocupado = b["maquina"][0] - a["maquina"][0]
    total = b["maquina"][1] - a["maquina"][1]
    return {
        "servidor": servidor,
        "postgres": postgres,
        "clientes": clientes,
        "outros": max(0.0, ocupado - servidor - postgres - clientes),
        "ocioso": max(0.0, total - ocupado),
    }


# --- (b) a recepção completa --------------------------------------------------------------


@dataclass
class Medida:
    """Uma rajada: ``n`` envios de ``clientes`` clientes."""

    clientes: int
    n: int
    segundos: float
    latencias: list[float]
    falhas: list[str]
    cpu: dict[str, float] = field(default_factory=dict)
    carga: str = ""
    recusa_cedo: bool = False

    @property
    def vazao(self) -> float:
        return self.n / self.segundos

    def percentil(self, q: float) -> float:
        ordenados = sorted(self.latencias)
        return ordenados[min(len(ordenados) - 1, round(q * (len(ordenados) - 1)))]


def rajada(
    porta: int,
    p: Preparo,
    lote: list[Envio],
    clientes: int,
    grupos: Grupos,
    recusa_cedo: bool = False,
) -> Medida:
    """Os envios de ``lote``, o cliente ``j`` com os do técnico ``j`` (uma conexão HTTP nova
    por envio); a CPU de cada grupo lida antes e depois. Com ``recusa_cedo`` o
    ``Idempotency-Key`` não confere: o servidor lê o corpo, confere a sessão e recusa (400)
    antes de verificar — o custo da camada HTTP e da sessão, sem a recepção."""
    esperado = 400 if recusa_cedo else 201
    por_cliente: dict[int, list[Envio]] = defaultdict(list)
    for e in lote:
        por_cliente[e.tecnico % clientes].append(e)
    latencias: list[float] = []
    falhas: list[str] = []
    trava = threading.Lock()
    partida = threading.Barrier(clientes + 1)

    def cliente(j: int) -> None:
        partida.wait()
        for e in por_cliente[j]:
            t = time.perf_counter()
            try:
                con = http.client.HTTPConnection("127.0.0.1", porta, timeout=300)
                con.request(
                    "POST",
                    "/api/v1/transmissoes",
                    e.corpo,
                    {
                        "Authorization": f"Bearer {p.tokens[e.tecnico]}",
                        "Content-Type": "application/xml",
                        "Idempotency-Key": "0" * 64 if recusa_cedo else e.digest,
                        "Connection": "close",
                    },
                )
                r = con.getresponse()
                corpo = r.read()
                con.close()
                status = r.status
            except OSError as exc:
                status, corpo = 0, str(exc).encode()
            dt_ = time.perf_counter() - t
            with trava:
                latencias.append(dt_)
                if status != esperado:
                    falhas.append(f"{e.ente}: {status} {corpo[:200]!r}")

    threads = [threading.Thread(target=cliente, args=(j,)) for j in range(clientes)]
    for t in threads:
        t.start()
    carga = _carga()
    antes = grupos.ler()
    t0 = time.perf_counter()
    partida.wait()
    for t in threads:
        t.join()
    segundos = time.perf_counter() - t0
    cpu = cpu_entre(antes, grupos.ler())
    return Medida(clientes, len(lote), segundos, latencias, falhas, cpu, carga, recusa_cedo)


def _workers(pid: int) -> list[int]:
    """Os workers (filhos por *spawn*, sem o ``resource_tracker``) do servidor ``pid``."""
    filhos: list[int] = []
    for tarefa in Path(f"/proc/{pid}/task").iterdir():
        try:
            filhos += [int(x) for x in (tarefa / "children").read_text().split()]
        except OSError:
            continue
    saida = []
    for filho in filhos:
        try:
            cmd = Path(f"/proc/{filho}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmd and b"resource_tracker" not in cmd:
            saida.append(filho)
    return saida


def _esperar_ociosos(pids: list[int], ate: float) -> None:
    """Espera os processos do servidor terminarem de partir (importar o programa, carregar o
    catálogo): até nenhum gastar mais que 20 ms de CPU em 0,5 s, ou ``ate``."""
    anterior = cpu_por_pid(pids)
    while time.monotonic() < ate:
        time.sleep(0.5)
        agora_ = cpu_por_pid(pids)
        if all(agora_[p_] - anterior.get(p_, 0.0) < 0.02 for p_ in agora_):
            return
        anterior = agora_


def _postmaster(cluster: Any) -> int | None:
    try:
        return int((cluster.dados / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def medir_config(
    p: Preparo, banco: str, workers: int, cluster: Any, pasta: Path
) -> tuple[list[Medida], float]:
    """Um servidor novo (pasta e banco vazios) com ``workers``: aquecimento, depois uma
    rajada por nível de clientes. Devolve as medidas e os segundos da partida."""
    url = cluster.novo_banco("bench") if banco == "PostgreSQL" else ""
    dados = pasta / "dados"
    args = ["--workers", str(workers)] if workers > 1 else []
    servidor = ServidorLocal(dados, config=_config(p, url), args=args)
    cadastrar(dados, p)
    partida = servidor.iniciar(espera=300)
    try:
        assert servidor.proc is not None
        fim = time.monotonic() + 300
        while workers > 1 and len(_workers(servidor.proc.pid)) < workers:  # todos de pé
            if time.monotonic() > fim:
                raise RuntimeError(f"os {workers} workers não partiram em 300 s")
            time.sleep(0.1)
        _esperar_ociosos(descendentes(servidor.proc.pid), fim)
        grupos = Grupos(servidor.proc.pid, _postmaster(cluster) if url else None)
        aquece = rajada(servidor.porta, p, p.lotes["aquecimento"], 16, grupos)
        if aquece.falhas:
            raise RuntimeError(f"aquecimento recusado: {aquece.falhas[:3]}")
        medidas = []
        for c in NIVEIS:
            medida = rajada(servidor.porta, p, p.lotes[str(c)], c, grupos)
            if medida.falhas:
                raise RuntimeError(
                    f"{banco} {workers} worker(s), {c} clientes: {len(medida.falhas)} envios "
                    f"recusados: {medida.falhas[:3]}"
                )
            medidas.append(medida)
        cedo = rajada(servidor.porta, p, p.lotes["16"], 16, grupos, recusa_cedo=True)
        if cedo.falhas:
            raise RuntimeError(f"recusa cedo: {cedo.falhas[:3]}")
        medidas.append(cedo)
    finally:
        servidor.parar(30)
    return medidas, partida


# --- o perfil da recepção, sem HTTP ------------------------------------------------------


#: As partes medidas: (rótulo, objeto onde fica, nome do atributo, do piso?). ``None`` no
#: objeto é o repositório do contexto (cada método de leitura é somado em "leituras").
PARTES = (
    ("sessão: token, usuário e papéis (autenticar)", "autenticacao", "autenticar", False),
    ("verificação: assinatura e cadeia", "documentos", "verificar_assinatura", True),
    ("verificação: leitura endurecida + XSD", "ops_format", "de_bytes", True),
    ("verificação: críticas", "criticas", "verificar", True),
    (
        "verificação: 1ª leitura endurecida (raiz, assinatura presente)",
        "documentos",
        "analisar_xml",
        False,
    ),
    ("verificação: referência do FNS (banco)", "verificacao", "_referencia", False),
    ("banco: leituras da recepção (papéis do signatário, período…)", "leituras", "", False),
    ("arquivo: gravação atômica com fsync", "armazem", "guardar", False),
    ("banco: aceitar (transação de escrita)", "repo", "aceitar", False),
    ("recibo: assinatura", "emissor", "transmissao", True),
    ("banco: gravar o recibo (2ª transação de escrita)", "repo", "definir_recibo", False),
    ("aviso aos gestores (dispara uma thread)", "notificacoes", "avisar_transmissao", False),
)
_LEITURAS = (
    "papeis_ativos", "transmissao_por_digest", "vigente", "houve_entrega", "retransmissoes",
    "sem_balanco", "homologacao", "transmissao",
)  # fmt: skip


class _Instrumentos:
    """Envolve as funções de ``PARTES`` para somar CPU da thread e parede de cada uma (só as
    chamadas de fora de outra parte medida: nada é contado duas vezes), e desfaz no fim."""

    def __init__(self, ctx: Any) -> None:
        from siops import criticas, ops_format
        from siops.servidor import autenticacao, documentos, notificacoes, verificacao

        self.cpu: dict[str, float] = defaultdict(float)
        self.parede: dict[str, float] = defaultdict(float)
        self._dentro = threading.local()
        self._thread = threading.get_ident()  # só a thread do pedido (não a dos avisos)
        self._desfazer: list[tuple[Any, str, Any, bool]] = []
        alvos = {
            "autenticacao": autenticacao,
            "documentos": documentos,
            "ops_format": ops_format,
            "criticas": criticas,
            "verificacao": verificacao,
            "notificacoes": notificacoes,
            "armazem": ctx.armazem,
            "repo": ctx.repo,
            "emissor": ctx.emissor,
        }
        for rotulo, onde, nome, _piso in PARTES:
            if onde == "leituras":
                for metodo in _LEITURAS:
                    if hasattr(ctx.repo, metodo):
                        self._envolver(ctx.repo, metodo, rotulo)
            else:
                self._envolver(alvos[onde], nome, rotulo)

    def _envolver(self, alvo: Any, nome: str, rotulo: str) -> None:
        original = getattr(alvo, nome)
        proprio = nome in vars(alvo)  # atributo do módulo/objeto, ou herdado da classe
        estado = self._dentro

        def medida(*args: Any, **kw: Any) -> Any:
            if getattr(estado, "ativo", False) or threading.get_ident() != self._thread:
                return original(*args, **kw)
            estado.ativo = True
            c0, p0 = time.thread_time(), time.perf_counter()
            try:
                return original(*args, **kw)
            finally:
                self.cpu[rotulo] += time.thread_time() - c0
                self.parede[rotulo] += time.perf_counter() - p0
                estado.ativo = False

        setattr(alvo, nome, medida)
        self._desfazer.append((alvo, nome, original, proprio))

    def desfazer(self) -> None:
        for alvo, nome, original, proprio in reversed(self._desfazer):
            if proprio:
                setattr(alvo, nome, original)
            else:
                delattr(alvo, nome)


def perfil(p: Preparo, banco: str, cluster: Any, pasta: Path, n: int) -> dict[str, Any]:
    """``autenticar`` + ``receber`` neste processo, numa thread, sem pool de verificação —
    a sequência do pedido HTTP sem o HTTP: ``n`` envios com cada parte de ``PARTES`` medida
    (CPU da thread e parede), e outros ``n`` sob cProfile (as funções com mais tempo próprio)."""
    from siops.servidor import autenticacao, config, recepcao
    from siops.servidor.contexto import Contexto

    url = cluster.novo_banco("perfil") if banco == "PostgreSQL" else ""
    dados = pasta / "dados"
    dados.mkdir(parents=True)
    (dados / "servidor.json").write_text(json.dumps(_config(p, url)), encoding="utf-8")
    cadastrar(dados, p)
    envios = p.lotes["16"] + p.lotes["32"]
    assert len(envios) >= 2 * n
    ctx = Contexto.abrir(config.carregar(dados), pool=False)

    def um(e: Envio) -> None:
        quem = autenticacao.autenticar(ctx, f"Bearer {p.tokens[e.tecnico]}")
        status, _ = recepcao.receber(ctx, quem, e.corpo, e.digest)
        if status != 201:
            raise RuntimeError(f"{e.ente}: {status}")

    def avisos() -> None:  # os avisos aos gestores (threads) terminam antes de cada medida
        for t in threading.enumerate():
            if t.name == "siops-aviso":
                t.join(30)

    try:
        for e in p.lotes["aquecimento"][:4]:
            um(e)
        avisos()
        inst = _Instrumentos(ctx)
        try:
            cpu0, proc0, parede0 = time.thread_time(), time.process_time(), time.perf_counter()
            for e in envios[:n]:
                um(e)
            avisos()
            cpu = (time.thread_time() - cpu0) / n
            processo = (time.process_time() - proc0) / n
            parede = (time.perf_counter() - parede0) / n
        finally:
            inst.desfazer()
        perfilador = cProfile.Profile()
        perfilador.enable()
        for e in envios[n : 2 * n]:
            um(e)
        perfilador.disable()
        avisos()
    finally:
        ctx.fechar()
    tabela: dict[tuple[str, int, str], tuple[Any, ...]] = getattr(
        pstats.Stats(perfilador), "stats", {}
    )
    total_perfil = sum(v[2] for v in tabela.values())
    quentes = sorted(tabela.items(), key=lambda kv: kv[1][2], reverse=True)[:15]
    return {
        "banco": banco,
        "n": n,
        "cpu_s": cpu,
        "processo_s": processo,
        "parede_s": parede,
        "partes_cpu_s": {k: v / n for k, v in inst.cpu.items()},
        "partes_parede_s": {k: v / n for k, v in inst.parede.items()},
        "perfil_total_s": total_perfil / n,
        "quentes": [
            (_funcao(arquivo, linha_, funcao), v[2] / n, v[3] / n)
            for (arquivo, linha_, funcao), v in quentes
        ],
    }


def _funcao(arquivo: str, linha_: int, funcao: str) -> str:
    """``pacote/modulo.py:função`` (o caminho a partir de ``siops``/``site-packages``)."""
    caminho = arquivo.replace(os.sep, "/")
    for marca in ("/site-packages/", "/siops/"):
        if marca in caminho:
            caminho = ("siops/" if marca == "/siops/" else "") + caminho.split(marca, 1)[1]
            break
    if caminho == "~":
        return funcao  # funções embutidas: "<method 'acquire' ...>"
    return f"{caminho}:{linha_}({funcao})"


# --- o benchmark ------------------------------------------------------------------------


def _rotulo(banco: str, workers: int) -> str:
    return f"{banco}, {workers} worker{'s' if workers > 1 else ''}"


def main(rapido: bool = False) -> list[dict]:
    from tests import apoio_postgres

    n = 64 if rapido else 800
    aquecimento = 16 if rapido else 64
    amostra, repeticoes = (4, 2) if rapido else (24, 5)
    n_perfil = 8 if rapido else 100
    cores = nucleos()
    resultado: dict[str, Any] = {
        "rapido": rapido,
        "nucleos": cores,
        "carga_inicio": _carga(),
        "n": n,
        "configs": [],
    }
    with tempfile.TemporaryDirectory(prefix="bench-servidor-") as tmp:
        pasta = Path(tmp)
        t0 = time.monotonic()
        p = preparar(pasta, aquecimento, n)
        resultado["preparo_s"] = time.monotonic() - t0
        cluster = apoio_postgres.ClusterPostgres().iniciar()
        try:
            # (a) o piso, com a configuração (raízes, revogação, chaves) do servidor
            dados_piso = pasta / "piso" / "dados"
            ServidorLocal(dados_piso, config=_config(p, ""))
            inicio = piso(p, dados_piso, amostra, repeticoes)
            # (b) as combinações, cada uma num servidor novo
            for i, (banco, workers) in enumerate(CONFIGS):
                medidas, partida = medir_config(p, banco, workers, cluster, pasta / f"c{i}")
                resultado["configs"].append(
                    {
                        "banco": banco,
                        "workers": workers,
                        "partida_s": partida,
                        "medidas": [m for m in medidas if not m.recusa_cedo],
                        "cedo": next(m for m in medidas if m.recusa_cedo),
                    }
                )
            # o perfil da recepção sem HTTP, nos dois bancos
            resultado["perfis"] = [
                perfil(p, banco, cluster, pasta / f"perfil-{banco}", n_perfil)
                for banco in ("SQLite", "PostgreSQL")
            ]
            # o piso de novo no fim: vale o menor de cada passo (a máquina pode estar ocupada,
            # e o piso é o que o trabalho custa sem disputa)
            fim = piso(p, dados_piso, amostra, repeticoes)
            resultado["piso_medidas_s"] = {"inicio": inicio, "fim": fim}
            resultado["piso_s"] = {k: min(inicio[k], fim[k]) for k in inicio}
        finally:
            cluster.parar()
    resultado["carga_fim"] = _carga()
    _ULTIMO.clear()
    _ULTIMO.update(resultado)
    return linhas(resultado)


def linhas(r: dict[str, Any]) -> list[dict]:
    """As linhas da tabela geral."""
    passos = r["piso_s"]
    custo = sum(passos.values())
    cores = r["nucleos"]
    teto = cores / custo
    saida = [
        linha("servidor, piso de CPU: assinatura e cadeia", passos["assinatura"] * 1000, "ms"),
        linha("servidor, piso de CPU: leitura endurecida + XSD", passos["xsd"] * 1000, "ms"),
        linha("servidor, piso de CPU: críticas", passos["criticas"] * 1000, "ms"),
        linha("servidor, piso de CPU: assinatura do recibo", passos["recibo"] * 1000, "ms"),
        linha("servidor, piso de CPU por envio (soma dos 4 passos)", custo * 1000, "ms"),
        linha(f"servidor, teto: {cores} núcleos ÷ piso", teto, "/s"),
    ]
    vazoes: dict[tuple[str, int, int], float] = {}
    for c in r["configs"]:
        banco, workers = c["banco"], c["workers"]
        for m in c["medidas"]:
            vazoes[(banco, workers, m.clientes)] = m.vazao
            nome = f"recepção, {_rotulo(banco, workers)}, {m.clientes} clientes"
            alvo = banco == "PostgreSQL" and workers == cores
            saida.append(
                linha(
                    f"{nome}: vazão",
                    m.vazao,
                    "/s",
                    teto,
                    f"≥ {META_FRACAO:.0%} do teto" if alvo else "",
                    (m.vazao >= META_FRACAO * teto) if alvo else None,
                )
            )
            p99 = m.percentil(0.99) * 1000
            saida.append(linha(f"{nome}: latência p50", m.percentil(0.50) * 1000, "ms"))
            saida.append(
                linha(
                    f"{nome}: latência p99",
                    p99,
                    "ms",
                    None,
                    "≤ 200 ms (máquina calma)" if m.clientes == 16 else "",
                    (p99 <= META_P99_MS) if m.clientes == 16 else None,
                )
            )
    for c in NIVEIS:
        um, dois = vazoes[("PostgreSQL", 1, c)], vazoes[("PostgreSQL", 2, c)]
        saida.append(
            linha(
                f"recepção, PostgreSQL, {c} clientes: vazão com 2 workers ÷ com 1",
                dois / um,
                "×",
                None,
                "> 1 (cresce com os workers até os núcleos)" if cores >= 2 else "",
                (dois > um) if cores >= 2 else None,
            )
        )
    for pf in r["perfis"]:
        saida.append(
            linha(
                f"recepção sem HTTP ({pf['banco']}, numa thread): CPU por envio",
                pf["cpu_s"] * 1000,
                "ms",
                custo * 1000,
            )
        )
    return saida


# --- a seção do docs/performance.md -------------------------------------------------------


def _n(v: float, casas: int = 1) -> str:
    return f"{v:,.{casas}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def secoes_markdown() -> str:
    """A seção do servidor no ``docs/performance.md`` (da última ``main``): o piso, a tabela
    das combinações com a CPU de cada grupo de processos, e para onde vai o resto do tempo."""
    r = _ULTIMO
    if not r:
        return ""
    passos = r["piso_s"]
    custo = sum(passos.values())
    cores = r["nucleos"]
    teto = cores / custo
    ms = 1000.0
    medidas = r["piso_medidas_s"]
    nomes_piso = (
        ("assinatura", "verificação da assinatura com a cadeia (XMLDSig, cadeia, política, CPF)"),
        ("xsd", "leitura endurecida + XSD (monta a declaração que as críticas leem)"),
        ("criticas", "críticas"),
        ("recibo", "assinatura do recibo (XMLDSig, RSA 2048)"),
    )
    out = [
        "## Servidor: a recepção diante do piso de CPU (issue 23)",
        "",
        f"Gerado por `bench/bench_servidor.py`. Máquina com **{cores} núcleos**. Carga "
        f"(load average de 1/5/15 min, o que `uptime` mostra) no início do módulo: "
        f"{r['carga_inicio']}; no fim: {r['carga_fim']}. A carga conta também os processos do "
        "próprio benchmark (servidor, PostgreSQL, clientes); o que os outros usuários da "
        "máquina tomaram está na coluna *CPU outros* abaixo. "
        + (
            "**Modo rápido** (poucos envios por medida): os números só mostram que tudo roda."
            if r["rapido"]
            else f"{r['n']} envios por medida, cada um de um município diferente, depois de "
            "um aquecimento."
        ),
        "",
        "### (a) O piso: o que toda recepção correta custa",
        "",
        "Cada passo num laço apertado, neste processo, sem HTTP, banco nem disco: mediana de "
        "várias passagens sobre declarações cheias assinadas, medida no início e no fim do "
        "módulo; vale a menor (o piso é o custo sem disputa pelos núcleos).",
        "",
        "| passo | início (ms) | fim (ms) | piso (ms) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for chave, nome in nomes_piso:
        out.append(
            f"| {nome} | {_n(medidas['inicio'][chave] * ms, 2)} | "
            f"{_n(medidas['fim'][chave] * ms, 2)} | {_n(passos[chave] * ms, 2)} |"
        )
    out += [
        f"| **por envio** | {_n(sum(medidas['inicio'].values()) * ms, 2)} | "
        f"{_n(sum(medidas['fim'].values()) * ms, 2)} | **{_n(custo * ms, 2)}** |",
        "",
        f"**Teto desta máquina: {cores} núcleos ÷ {_n(custo * ms, 2)} ms = {_n(teto)} "
        "recepções/s** — o que um servidor faria se os núcleos não fizessem mais nada.",
        "",
        "### (b) A recepção completa",
        "",
        "O servidor real (`python -m siops.servidor`) em processos próprios; os clientes são "
        "threads deste processo, uma conexão HTTP nova por envio. Durante cada rajada, a CPU "
        "de cada grupo de processos é lida de `/proc`: o servidor (processo principal, workers e "
        "processos de verificação), o PostgreSQL, os clientes, o resto da máquina (outros "
        "usuários) e o tempo ocioso dos núcleos — em **ms de CPU por envio**, somados sobre os "
        f"núcleos (as cinco colunas somam {cores} × duração ÷ envios = {cores} ÷ vazão).",
        "",
        "| banco | workers | clientes | vazão (/s) | fração do teto | p50 (ms) | p99 (ms) | "
        "CPU servidor | CPU PostgreSQL | CPU clientes | CPU outros | ocioso | carga ao medir |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for c in r["configs"]:
        for m in c["medidas"]:
            cpu = {k: v / m.n * ms for k, v in m.cpu.items()}
            out.append(
                f"| {c['banco']} | {c['workers']} | {m.clientes} | {_n(m.vazao)} | "
                f"{_n(m.vazao / teto * 100, 0)}% | {_n(m.percentil(0.5) * ms, 0)} | "
                f"{_n(m.percentil(0.99) * ms, 0)} | {_n(cpu['servidor'])} | "
                f"{_n(cpu['postgres'])} | {_n(cpu['clientes'])} | {_n(cpu['outros'])} | "
                f"{_n(cpu['ocioso'])} | {m.carga} |"
            )

    # --- para onde vai o tempo
    perfis = {pf["banco"]: pf for pf in r["perfis"]}
    ordem = [b for b in ("SQLite", "PostgreSQL") if b in perfis]
    melhor = max(((c, m) for c in r["configs"] for m in c["medidas"]), key=lambda cm: cm[1].vazao)
    c_m, m_m = melhor
    cpu_m = {k: v / m_m.n * ms for k, v in m_m.cpu.items()}
    total_m = sum(cpu_m.values())
    out += [
        "",
        "### Para onde vai o resto do tempo",
        "",
        f"A melhor rajada ({_rotulo(c_m['banco'], c_m['workers'])}, {m_m.clientes} clientes) "
        f"fez {_n(m_m.vazao)} recepções/s, {_n(m_m.vazao / teto * 100, 0)}% do teto: cada envio "
        f"ocupou {_n(total_m)} ms dos {cores} núcleos, contra {_n(custo * ms, 2)} ms do piso. "
        "Desses:",
        "",
        f"- **{_n(cpu_m['servidor'])} ms no servidor** — {_n(cpu_m['servidor'] - custo * ms)} ms "
        "acima do piso (o detalhe vem abaixo);",
        f"- **{_n(cpu_m['outros'])} ms com os outros usuários da máquina** (CPU que não era "
        "nossa durante a rajada);",
        f"- {_n(cpu_m['postgres'])} ms no PostgreSQL, {_n(cpu_m['clientes'])} ms nos clientes "
        f"e {_n(cpu_m['ocioso'])} ms de núcleo ocioso (esperas: fsync, commits, filas).",
        "",
        "**O servidor além do piso: a recepção sem HTTP.** `autenticacao.autenticar` + "
        "`recepcao.receber` chamados neste processo, numa thread, sem pool de verificação, "
        "sobre um banco novo — a sequência de um pedido, sem o HTTP — com cada parte "
        "medida por dentro (CPU da thread e parede; *piso* marca os passos do piso, que aqui "
        "rodam em declarações novas, com o resto do servidor em volta):",
        "",
        "| parte | " + " | ".join(f"{b}: CPU (ms) | {b}: parede (ms)" for b in ordem) + " |",
        "| --- |" + " ---: | ---: |" * len(ordem),
    ]
    for rotulo, _onde, _nome, do_piso in PARTES:
        celulas = []
        for b in ordem:
            pf = perfis[b]
            celulas += [
                _n(pf["partes_cpu_s"].get(rotulo, 0.0) * ms, 2),
                _n(pf["partes_parede_s"].get(rotulo, 0.0) * ms, 2),
            ]
        out.append(f"| {rotulo}{' *(piso)*' if do_piso else ''} | " + " | ".join(celulas) + " |")
    resto, totais, processo = [], [], []
    for b in ordem:
        pf = perfis[b]
        resto += [
            _n((pf["cpu_s"] - sum(pf["partes_cpu_s"].values())) * ms, 2),
            _n((pf["parede_s"] - sum(pf["partes_parede_s"].values())) * ms, 2),
        ]
        totais += [f"**{_n(pf['cpu_s'] * ms, 2)}**", f"**{_n(pf['parede_s'] * ms, 2)}**"]
        processo += [_n(pf["processo_s"] * ms, 2), ""]
    out += [
        "| o resto de `receber` (resposta JSON, validações, lógica) | " + " | ".join(resto) + " |",
        "| **total da thread** | " + " | ".join(totais) + " |",
        "| CPU do processo (com as threads dos avisos e do pool de conexões) | "
        + " | ".join(processo)
        + " |",
        "",
    ]
    out += [
        "**A camada HTTP.** Medida direto, em cada servidor: 16 clientes mandando as mesmas "
        "declarações com um `Idempotency-Key` que não confere — o servidor aceita a conexão, lê "
        "o corpo, confere a sessão (3 leituras do banco), calcula o SHA-256 e responde 400, sem "
        "verificar nada. A CPU do servidor por pedido é o custo de uvicorn/h11, Starlette, do "
        "pool de threads e da sessão; o que a rajada completa gasta a mais do que isso e do "
        "que a recepção sem HTTP é troca entre threads e processos (GIL, *pool* de "
        "verificação).",
        "",
        "| banco | workers | CPU do servidor por pedido recusado cedo (ms) | p50 (ms) | "
        "CPU do servidor por envio na rajada de 16 (ms) | recepção sem HTTP, CPU do processo "
        "(ms) | diferença (ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for c in r["configs"]:
        cedo = c["cedo"]
        http_ms = cedo.cpu["servidor"] / cedo.n * ms
        r16 = next(m for m in c["medidas"] if m.clientes == NIVEIS[0])
        servidor = r16.cpu["servidor"] / r16.n * ms
        pf = perfis.get(c["banco"])
        sem_http = pf["processo_s"] * ms if pf else 0.0
        out.append(
            f"| {c['banco']} | {c['workers']} | {_n(http_ms, 2)} | "
            f"{_n(cedo.percentil(0.5) * ms, 1)} | {_n(servidor)} | {_n(sem_http)} | "
            f"{_n(servidor - sem_http - http_ms)} |"
        )
    out.append("")
    um = {
        m.clientes: m
        for c in r["configs"]
        if (c["banco"], c["workers"]) == ("PostgreSQL", 1)
        for m in c["medidas"]
    }
    por_nucleo = {
        m.clientes: m
        for c in r["configs"]
        if (c["banco"], c["workers"]) == ("PostgreSQL", cores)
        for m in c["medidas"]
    }
    if um and por_nucleo:
        out += [
            "",
            f"Com {cores} workers (um por núcleo) cada worker verifica na própria thread "
            "(`contexto.processos_verificacao`): os pedidos simultâneos de um worker verificam "
            "ao mesmo tempo, em threads que disputam o GIL. Com 1 worker a verificação vai a "
            f"{cores} processos (um por núcleo), um envio por vez em cada. CPU do servidor por "
            "envio, 1 worker × "
            f"{cores} workers: "
            + "; ".join(
                f"{c} clientes {_n(um[c].cpu['servidor'] / um[c].n * ms)} × "
                f"{_n(por_nucleo[c].cpu['servidor'] / por_nucleo[c].n * ms)} ms"
                for c in NIVEIS
                if c in um and c in por_nucleo
            )
            + ".",
        ]
    pg = perfis.get("PostgreSQL")
    if pg is not None:
        out += [
            "",
            f"**Perfil (cProfile) da recepção sem HTTP, PostgreSQL, {pg['n']} envios:** as "
            "funções com mais tempo próprio, em ms por envio (o cProfile encarece o Python puro "
            "em relação ao C; o total sob o perfilador foi "
            f"{_n(pg['perfil_total_s'] * ms, 2)} ms por envio).",
            "",
            "| função | tempo próprio (ms) | acumulado (ms) |",
            "| --- | ---: | ---: |",
        ]
        for nome, proprio, acumulado in pg["quentes"]:
            out.append(f"| `{nome}` | {_n(proprio * ms, 2)} | {_n(acumulado * ms, 2)} |")
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    import sys

    for r_ in main(rapido="--rapido" in sys.argv):
        print(r_)
    print(secoes_markdown())

"""Rules of the text fields: Dados Gerais (group 100) and Informações Adicionais (group 800).

Generated from the catalog's ``CampoTexto`` declarations: ``obrigatorio`` gives the required
fields, ``tipo`` the format check (``criticas.documentos``), the field's group the pasta and so
the code. Only two are impeditivas: the Lei Orgânica percentage, which enters the despesa
mínima (XVII), and the Prefeito registered as Secretário, which DOMAIN §2 forbids. A missing or
malformed registration datum does not change the minimum: it is an aviso (FAQ).
"""

from __future__ import annotations

from collections.abc import Iterator

from siops.criticas.achado import AVISO, IMPEDITIVA
from siops.criticas.documentos import MOTIVOS, so_digitos
from siops.criticas.motor import Entrada, Regra, Verificacao, definir, gerador, texto
from siops.forms.catalogo import PERCENTUAL_LC141, PERCENTUAL_LEI_ORGANICA, CampoTexto, Catalogo
from siops.forms.declaracao import validar_percentual_texto
from siops.forms.dinheiro import apresentar_percentual
from siops.forms.formulas import chave_param

_CADASTRO = (
    "Portaria MS 53/2013 e Decreto 7.827/2012, art. 4º: a declaração identifica o ente e os "
    "responsáveis (chefe do Executivo, gestor do SUS, técnico) — DOMAIN §2 e §5."
)
R101 = definir(101, "Dado obrigatório não preenchido", AVISO, fundamento=_CADASTRO)
R102 = definir(
    102,
    "CPF inválido",
    AVISO,
    fundamento=_CADASTRO + " CPF: 11 dígitos com dois dígitos verificadores módulo 11.",
)
R103 = definir(103, "E-mail inválido", AVISO, fundamento=_CADASTRO)
R104 = definir(104, "Telefone inválido", AVISO, fundamento=_CADASTRO)
R105 = definir(105, "Número inteiro inválido", AVISO, fundamento=_CADASTRO)
R106 = definir(
    106,
    "Percentual mínimo da Lei Orgânica ou da Constituição Estadual inválido",
    IMPEDITIVA,
    fundamento="LC 141/2012, arts. 6º a 8º e art. 11: vale o percentual maior entre o da lei "
    "complementar e o da Lei Orgânica ou Constituição Estadual; um texto que não é número "
    "faria o mínimo (XVII) ser calculado sem ele, sem que o usuário perceba.",
)
R107 = definir(
    107,
    "Chefe do Executivo cadastrado também como Secretário de Saúde",
    IMPEDITIVA,
    fundamento="DOMAIN §2: o Prefeito (ou Governador) não pode ser também o Secretário de "
    "Saúde (gestor do SUS), que homologa a declaração.",
)
R108 = definir(
    108,
    "Percentual da Lei Orgânica ou Constituição Estadual abaixo do da LC 141/2012",
    AVISO,
    fundamento="LC 141/2012, arts. 6º a 8º e 11: vale o maior percentual; um percentual da "
    "Lei Orgânica ou da Constituição Estadual abaixo do da lei complementar (15% municípios, "
    "12% estados; para o DF, a média ponderada do art. 8º) é desconsiderado no cálculo.",
)

_INFO = (
    "LC 141/2012, arts. 2º, 14 e 22 (recursos aplicados por meio do Fundo de Saúde) e Lei "
    "8.142/1990 (Conselho de Saúde); FAQ: o Grupo 800 aponta dados faltantes do Conselho e do "
    "Fundo de Saúde."
)
R801 = definir(801, "Dado do Fundo ou do Conselho de Saúde não preenchido", AVISO, fundamento=_INFO)
R802 = definir(
    802,
    "CNPJ inválido",
    AVISO,
    fundamento=_INFO + " CNPJ: 14 dígitos com dois dígitos verificadores módulo 11.",
)
R803 = definir(803, "Data inválida", AVISO, fundamento=_INFO)
R804 = definir(804, "Resposta Sim/Não inválida", AVISO, fundamento=_INFO)
R805 = definir(
    805,
    "Instituição incompleta",
    AVISO,
    fundamento="DOMAIN §5: as instituições cujos dados estão incluídos na declaração são "
    "identificadas por nome e CNPJ.",
)
R806 = definir(
    806,
    "Nenhuma instituição informada",
    AVISO,
    fundamento="DOMAIN §5: a declaração lista as instituições (prefeitura, fundo de saúde, "
    "autarquias, consórcios…) cujos dados inclui.",
)

#: (group, required) → rule; (group, tipo) → rule of the format check.
OBRIGATORIOS: dict[int, Regra] = {100: R101, 800: R801}
FORMATOS: dict[tuple[int, str], Regra] = {
    (100, "cpf"): R102,
    (100, "email"): R103,
    (100, "telefone"): R104,
    (100, "inteiro"): R105,
    (100, "percentual"): R106,
    (800, "cnpj"): R802,
    (800, "data"): R803,
    (800, "sim_nao"): R804,
}
#: The registration chain's fields (public ids, DOMAIN §2).
CPF_CHEFE, CPF_SECRETARIO = "chefe_cpf", "secretario_cpf"
GRUPO_INSTITUICOES = "instituicoes"


def grupo_do_campo(cat: Catalogo, campo: CampoTexto) -> int | None:
    """The críticas group of a field: 100 in Dados Gerais, 800 in Informações Adicionais."""
    for p in cat.pastas:
        if campo.grupo in p.grupos:
            return {"dados_gerais": 100, "informacoes_adicionais": 800}.get(p.id)
    return None


def rotulo(campo: CampoTexto) -> str:
    """'Prefeito(a) — CPF' → 'Prefeito(a)' (whose field it is)."""
    return campo.titulo.split(" — ")[0]


@gerador
def obrigatorios(cat: Catalogo) -> Iterator[Verificacao]:
    """Every ``CampoTexto`` marked ``obrigatorio`` must be filled."""
    for campo in cat.campos.values():
        g = grupo_do_campo(cat, campo)
        if campo.obrigatorio and g in OBRIGATORIOS:
            yield Verificacao(
                OBRIGATORIOS[g], (texto(campo.id),), _checar_vazio(campo), campo=campo.id
            )


def _checar_vazio(campo: CampoTexto):
    def checar(e: Entrada) -> str | None:
        if e.d.texto(campo.id).strip():
            return None
        return f'O campo obrigatório "{campo.titulo}" não foi preenchido.'

    return checar


@gerador
def lei_organica_abaixo(cat: Catalogo) -> Iterator[Verificacao]:
    """108: a typed Lei Orgânica / Constituição Estadual % below the LC 141/2012 one."""
    campo = cat.campos.get(PERCENTUAL_LEI_ORGANICA)
    if campo is None:
        return
    k_lei, k_lc = chave_param(PERCENTUAL_LEI_ORGANICA), chave_param(PERCENTUAL_LC141)
    lei = lei_do_ente(cat)

    def checar(e: Entrada) -> str | None:
        p, lc = e.d.valor(k_lei), e.d.valor(k_lc)
        if p <= 0 or p >= lc:
            return None
        return (
            f"O percentual mínimo da {lei} informado ({apresentar_percentual(p)}%) é menor que "
            f"o da LC 141/2012 ({apresentar_percentual(lc)}%) e será desconsiderado: vale o "
            "percentual da lei complementar. Confira o valor ou apague o campo."
        )

    yield Verificacao(R108, (texto(campo.id), k_lei, k_lc), checar, campo=campo.id)


@gerador
def formatos(cat: Catalogo) -> Iterator[Verificacao]:
    """The format of every typed field (CPF, CNPJ, e-mail, telefone, data, número, Sim/Não)."""
    for campo in cat.campos.values():
        regra = FORMATOS.get((grupo_do_campo(cat, campo) or 0, campo.tipo))
        if regra is None:
            continue
        if campo.tipo == "percentual":
            yield Verificacao(
                regra, (texto(campo.id),), _checar_percentual(cat, campo), campo=campo.id
            )
        else:
            yield Verificacao(regra, (texto(campo.id),), _checar_formato(campo), campo=campo.id)


_NOMES_TIPO = {
    "cpf": "O CPF",
    "cnpj": "O CNPJ",
    "email": "O e-mail",
    "telefone": "O telefone",
    "data": "A data",
    "inteiro": "O número",
    "sim_nao": "A resposta",
}


def _checar_formato(campo: CampoTexto):
    motivo_de = MOTIVOS[campo.tipo]
    nome = _NOMES_TIPO[campo.tipo]
    genero = "inválida" if nome.startswith("A ") else "inválido"

    def checar(e: Entrada) -> str | None:
        valor = e.d.texto(campo.id).strip()
        if not valor:
            return None
        motivo = motivo_de(valor)
        if motivo is None:
            return None
        return f'{nome} "{valor}" informado em "{campo.titulo}" é {genero}: {motivo}.'

    return checar


def _checar_percentual(cat: Catalogo, campo: CampoTexto):
    lei = lei_do_ente(cat)

    def checar(e: Entrada) -> str | None:
        queixa = validar_percentual_texto(e.d.texto(campo.id))
        if queixa is None:
            return None
        return (
            f"{queixa} O percentual mínimo da {lei} entra no cálculo da despesa mínima a ser "
            "aplicada em saúde; enquanto não for corrigido, vale o percentual mínimo da LC "
            "141/2012."
        )

    return checar


#: The ente's own law that may set a higher minimum (LC 141/2012 arts. 6º a 8º).
LEIS_DO_ENTE = {
    "municipal": "Lei Orgânica",
    "estadual": "Constituição Estadual",
    "df": "Lei Orgânica do DF",
}


def lei_do_ente(cat: Catalogo) -> str:
    """'Lei Orgânica' (municípios), 'Constituição Estadual' (estados), 'Lei Orgânica do DF'."""
    return LEIS_DO_ENTE.get(cat.esfera, "Lei Orgânica")


def _cpf_formatado(digitos: str) -> str:
    return f"{digitos[:3]}.{digitos[3:6]}.{digitos[6:9]}-{digitos[9:]}"


@gerador
def chefe_e_secretario(cat: Catalogo) -> Iterator[Verificacao]:
    """DOMAIN §2: the Chefe do Executivo cannot also be the Secretário de Saúde."""
    if CPF_CHEFE not in cat.campos or CPF_SECRETARIO not in cat.campos:
        return
    chefe, secretario = cat.campos[CPF_CHEFE], cat.campos[CPF_SECRETARIO]

    def checar(e: Entrada) -> str | None:
        a = so_digitos(e.d.texto(chefe.id))
        b = so_digitos(e.d.texto(secretario.id))
        if not a or a != b:
            return None
        mostrado = _cpf_formatado(a) if len(a) == 11 else a
        return (
            f"O mesmo CPF ({mostrado}) foi informado para {rotulo(chefe)} e para "
            f"{rotulo(secretario)}: o chefe do Executivo não pode ser também o gestor do SUS "
            "que homologa a declaração."
        )

    yield Verificacao(R107, (texto(chefe.id), texto(secretario.id)), checar, campo=secretario.id)


def _instituicoes(cat: Catalogo) -> dict[str, list[CampoTexto]]:
    grupos: dict[str, list[CampoTexto]] = {}
    for campo in cat.campos_do_grupo(GRUPO_INSTITUICOES):
        grupos.setdefault(campo.id.rsplit("_", 1)[0], []).append(campo)
    return grupos


def _identificadores(campos: list[CampoTexto]) -> list[CampoTexto]:
    """The fields that identify an institution: its name and its CNPJ."""
    return [c for c in campos if c.tipo == "cnpj" or c.id.endswith("_nome")]


@gerador
def instituicoes(cat: Catalogo) -> Iterator[Verificacao]:
    """Each institution listed has a name and a CNPJ; at least one institution is listed."""
    grupos = _instituicoes(cat)
    for campos in grupos.values():
        le = tuple(texto(c.id) for c in campos)
        for falta in _identificadores(campos):
            yield Verificacao(R805, le, _checar_incompleta(campos, falta), campo=falta.id)
    todos = [c for campos in grupos.values() for c in _identificadores(campos)]
    if todos:

        def checar(e: Entrada) -> str | None:
            if any(e.d.texto(c.id).strip() for c in todos):
                return None
            return (
                "Nenhuma instituição foi informada; liste ao menos a prefeitura (ou o governo) "
                "e o Fundo de Saúde, com nome e CNPJ."
            )

        yield Verificacao(R806, tuple(texto(c.id) for c in todos), checar, campo=todos[0].id)


def _checar_incompleta(campos: list[CampoTexto], falta: CampoTexto):
    outros = [c for c in campos if c.id != falta.id]

    def checar(e: Entrada) -> str | None:
        if e.d.texto(falta.id).strip():
            return None
        if not any(e.d.texto(c.id).strip() for c in outros):
            return None
        oque = "o CNPJ" if falta.tipo == "cnpj" else "o nome"
        return f"A {rotulo(falta)} tem dados preenchidos, mas falta {oque}."

    return checar

"""Uma operação da janela em vários passos que possui a sessão com o token (issue 18, item 6).

A homologação tem dois passos com uma pergunta ao gestor no meio: buscar o resumo (já com a
sessão aberta e o PIN dado), perguntar "Homologar?", assinar e enviar. A sessão com o token
precisa durar do primeiro passo ao último — o PIN é pedido uma vez — e precisa fechar em
qualquer saída: erro num passo, "Não" na pergunta, o fim normal, ou a janela fechada enquanto
a pergunta está aberta. Espalhar ``__enter__``/``__exit__`` por quatro callbacks deixava a
última saída sem dono; aqui um só objeto é o dono (o modelo é o ``CollectionOp`` do Anki: o
objeto guarda a operação, roda cada passo na thread de trabalho e devolve o resultado na thread
da interface).

    op = OperacaoToken(tarefas, fabrica, "homologação", ao_falhar)
    op.passo(preparar, preparado)                     # abre a sessão antes do 1º passo
    ... op.passo(concluir, concluido, ultimo=True)    # fecha no ``finally`` do último
    ... op.encerrar()                                 # "Não", ou a janela fechando

Cada passo recebe o assinador aberto e a função de progresso. A sessão fecha no ``finally`` do
passo que falha ou do último; ``encerrar()`` fecha-a de fora (e é idempotente), e um passo
pedido depois disso não roda. Fechar a sessão é uma chamada ao token, que já passa pela thread
única do PKCS#11 (``assinatura.assinador.TRABALHADOR``): fazê-la da thread da interface é seguro.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from siops.assinatura.assinador import Assinador, Cancelado
from siops.transmissor.gui.tarefas import Tarefas

R = TypeVar("R")
Progresso = Callable[[int, int], None]


class OperacaoToken:
    """Passos com um assinador aberto uma vez e fechado em qualquer saída (ver o módulo)."""

    def __init__(
        self,
        tarefas: Tarefas,
        fabrica: Callable[[], Assinador],
        descricao: str,
        ao_falhar: Callable[[BaseException], None],
    ) -> None:
        self._tarefas = tarefas
        self._fabrica = fabrica
        self.descricao = descricao
        self._ao_falhar = ao_falhar
        self._assinador: Assinador | None = None
        self._trava = threading.Lock()
        self._encerrada = False

    @property
    def encerrada(self) -> bool:
        """Se a operação acabou (a sessão, se chegou a abrir, está fechada)."""
        return self._encerrada

    @property
    def assinador(self) -> Assinador | None:
        """O assinador aberto (None antes do primeiro passo e depois do fim)."""
        return self._assinador

    def passo(
        self,
        fn: Callable[[Assinador, Progresso], R],
        sucesso: Callable[[R], None],
        ultimo: bool = False,
    ) -> None:
        """Roda ``fn(assinador, progresso)`` na thread de trabalho; ``sucesso`` na interface.

        Uma falha fecha a sessão e vai para ``ao_falhar``; ``ultimo=True`` fecha-a também no
        sucesso (antes de ``sucesso`` ser chamado).
        """
        if self._encerrada:
            return

        def trabalho(progresso: Progresso) -> R:
            fechar = True  # uma falha (ou o fim) fecha a sessão aqui, no finally
            try:
                resultado = fn(self._abrir(), progresso)
                fechar = ultimo
                return resultado
            finally:
                if fechar:
                    self.encerrar()

        def falhou(erro: BaseException) -> None:
            self.encerrar()
            self._ao_falhar(erro)

        self._tarefas.executar(self.descricao, trabalho, sucesso, falhou)

    def encerrar(self) -> None:
        """Fecha a sessão (se aberta) e termina a operação; pode ser chamado mais de uma vez."""
        self._encerrada = True
        self._fechar()

    def _abrir(self) -> Assinador:
        with self._trava:
            if self._encerrada:
                raise Cancelado("Operação cancelada: a janela foi fechada.")
            if self._assinador is not None:
                return self._assinador
        # fora da trava: o PIN é pedido aqui (uma vez para todos os passos) e a interface não
        # pode ficar esperando a trava enquanto o diálogo do PIN espera por ela
        a = self._fabrica()
        a.__enter__()
        with self._trava:
            if not self._encerrada:
                self._assinador = a
                return a
        a.__exit__(None, None, None)  # encerrada enquanto abria: não fica nada aberto
        raise Cancelado("Operação cancelada: a janela foi fechada.")

    def _fechar(self) -> None:
        with self._trava:
            a, self._assinador = self._assinador, None
        if a is not None:
            a.__exit__(None, None, None)


__all__ = ["OperacaoToken", "Progresso"]

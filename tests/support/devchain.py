"""An in-process development chain (eth-tester on py-evm, Prague rules) that serves old block hashes through
the EIP-2935 history contract, as mainnet has since Prague.

py-evm 0.12 implements EIP-2935 (``eth/vm/forks/prague``: the contract's bytecode, and the system update
of its ring buffer with the parent hash in ``PragueVM.block_preprocessing``), but eth-tester's chain never
runs it: ``PragueState.set_system_contracts`` installs the code only where it is already installed (a
double negation), and eth-tester builds blocks with ``MiningChain.mine_block``, which skips
``block_preprocessing`` (only ``import_block`` calls it). So on a stock eth-tester chain the history address
is empty and ``LatentKin`` sees only ``blockhash``'s 256 blocks.

:class:`HistoryBackend` puts the real bytecode (py-evm's ``HISTORY_STORAGE_CONTRACT_CODE``) in the genesis
state and runs py-evm's own ``block_preprocessing`` on every block before its transactions, so the contract
answers ``get(n)`` for the last 8191 blocks exactly as on mainnet.
"""

from __future__ import annotations

from eth.vm.forks.prague.constants import (
    HISTORY_SERVE_WINDOW,
    HISTORY_STORAGE_ADDRESS,
    HISTORY_STORAGE_CONTRACT_CODE,
)
from eth_tester import EthereumTester, PyEVMBackend
from eth_utils import to_checksum_address

HISTORY_ADDRESS = to_checksum_address(HISTORY_STORAGE_ADDRESS)
HISTORY_WINDOW = HISTORY_SERVE_WINDOW  # 8191 blocks
BLOCKHASH_WINDOW = 256


class HistoryBackend(PyEVMBackend):
    """eth-tester's py-evm backend with the EIP-2935 history contract installed at genesis and kept."""

    def __init__(self, num_accounts: int = 10) -> None:
        genesis_state = PyEVMBackend.generate_genesis_state(num_accounts=num_accounts)
        genesis_state[HISTORY_STORAGE_ADDRESS] = {
            "balance": 0,
            "nonce": 1,
            "code": HISTORY_STORAGE_CONTRACT_CODE,
            "storage": {},
        }
        super().__init__(genesis_state=genesis_state)
        # eth-tester makes one key per genesis account; the history contract has none.
        self.account_keys = self.account_keys[:num_accounts]

    def reset_to_genesis(self, *args, **kwargs) -> None:
        super().reset_to_genesis(*args, **kwargs)
        self._start_block()

    def mine_blocks(self, num_blocks: int = 1, coinbase=None):
        hashes = []
        for _ in range(num_blocks):
            hashes += super().mine_blocks(1, **({} if coinbase is None else {"coinbase": coinbase}))
            self._start_block()
        return tuple(hashes)

    def revert_to_snapshot(self, snapshot) -> None:
        super().revert_to_snapshot(snapshot)
        self._start_block()

    def _start_block(self) -> None:
        """Run py-evm's start-of-block system updates (EIP-2935: store the parent hash) on the pending block."""
        chain = self.chain
        vm = chain.get_vm()
        vm.block_preprocessing(vm.get_block())
        vm.state.persist()
        chain.header = chain.header.copy(state_root=vm.state.state_root)


def history_tester(num_accounts: int = 10) -> EthereumTester:
    """An EthereumTester whose chain keeps the EIP-2935 block-hash history (see :class:`HistoryBackend`)."""
    return EthereumTester(HistoryBackend(num_accounts))

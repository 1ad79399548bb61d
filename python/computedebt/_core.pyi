from typing import Callable, List, Optional, Tuple

import numpy as np

__version__: str
leaf_paths: int
max_paths: int
max_threads: int

class DealFile:
    @staticmethod
    def from_json(text: str) -> DealFile: ...
    @staticmethod
    def load(path: str, assumptions: Optional[str] = ..., scenarios: List[str] = ...) -> DealFile: ...
    def to_json(self, indent: int = ...) -> str: ...
    @property
    def name(self) -> str: ...
    def validate(self) -> None: ...
    def warnings(self) -> List[Tuple[str, str]]: ...
    def with_scenario(self, patch: str) -> DealFile: ...
    def __eq__(self, other: object) -> bool: ...

class SimulationConfig:
    paths: int
    seed: int
    threads: int
    block_leaves: int
    keep_paths: bool
    keep_flows: bool
    gpu_multiplier_months: List[int]
    importance_shift: List[float]
    antithetic: bool
    quasi_random: bool
    contributions: bool
    loss_tail: Optional[LossTail]
    shift_choice: Optional[ShiftChoice]
    def __init__(self) -> None: ...

class ShiftChoice:
    @property
    def method(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def pilot_paths(self) -> int: ...

class LossTail:
    def __init__(self, var_bin: int, var_factor: float, es_bin_factor: float, es_above_factor: float) -> None: ...
    def as_tuple(self) -> Tuple[int, float, float, float]: ...

def leaf_count(paths: int) -> int: ...
def months(deal: DealFile) -> int: ...
def simulate(
    deal: DealFile,
    config: SimulationConfig,
    progress: Optional[Callable[[int, int], Optional[bool]]] = ...,
    assumptions: Optional[str] = ...,
    scenarios: List[str] = ...,
) -> Tuple[str, Optional[dict[str, np.ndarray]]]: ...
def auto_importance_shift(deal: DealFile, config: SimulationConfig, target: str = ...) -> SimulationConfig: ...
def price_semi_analytic(
    deal: DealFile, tolerance: float, assumptions: Optional[str] = ..., scenarios: List[str] = ...
) -> str: ...
def simulate_blocks(deal: DealFile, config: SimulationConfig, first_leaf: int, last_leaf: int) -> bytes: ...
def explain(
    deal: DealFile,
    config: SimulationConfig,
    path: int,
    assumptions: Optional[str] = ...,
    scenarios: List[str] = ...,
) -> str: ...
def loss_tail(config: SimulationConfig, blocks: List[bytes]) -> LossTail: ...
def finish_blocks(
    deal: DealFile,
    config: SimulationConfig,
    blocks: List[bytes],
    assumptions: Optional[str] = ...,
    scenarios: List[str] = ...,
) -> str: ...
def sculpt_tranche(
    deal: DealFile,
    tranche: str,
    dscr: float,
    assumptions: Optional[str] = ...,
    scenarios: List[str] = ...,
) -> Tuple[str, DealFile]: ...
def size_deal(
    deal: DealFile,
    request: str,
    config: SimulationConfig,
    assumptions: Optional[str] = ...,
    scenarios: List[str] = ...,
) -> Tuple[str, Optional[DealFile]]: ...
def size_tranche(
    deal: DealFile,
    tranche: str,
    target_rating: str,
    config: SimulationConfig,
    assumptions: Optional[str] = ...,
    scenarios: List[str] = ...,
) -> str: ...
def break_even_multiplier(
    deal: DealFile,
    tranche: str,
    target_rating: str,
    sectors: List[str],
    config: SimulationConfig,
    max_multiplier: float = ...,
    assumptions: Optional[str] = ...,
    scenarios: List[str] = ...,
) -> str: ...
def sensitivities(
    deal: DealFile,
    config: SimulationConfig,
    assumptions: Optional[str] = ...,
    scenarios: List[str] = ...,
) -> str: ...
def grid_patches(deal: DealFile, grid: str) -> Tuple[List[Tuple[str, List[float]]], List[str]]: ...
def grid_point(deal: DealFile, patch: str, config: SimulationConfig) -> str: ...

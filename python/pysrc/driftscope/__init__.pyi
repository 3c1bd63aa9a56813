"""Type stubs of the ``driftscope`` package."""

import os
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

from ._driftscope import AlertError as AlertError
from ._driftscope import DriftscopeError as DriftscopeError

__version__: str
PathLike = Union[str, os.PathLike[str]]

class DriftResult:
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...
    @property
    def drifted(self) -> List[str]: ...
    @property
    def dataset_drift(self) -> bool: ...
    def to_pandas(self) -> Any: ...
    def _repr_html_(self) -> str: ...

def drift(reference: Any, current: Any, config: Optional[PathLike] = None) -> DriftResult: ...

class Monitor:
    artifacts_dir: Path
    config: Optional[Path]
    def __init__(self, artifacts_dir: PathLike = "artifacts", config: Optional[PathLike] = None) -> None: ...
    def baseline(
        self,
        data: PathLike,
        prediction_column: Optional[str] = None,
        target: Optional[str] = None,
        seed: Optional[int] = None,
    ) -> Dict[str, Any]: ...
    def monitor(
        self,
        batch: Any,
        batch_id: Optional[str] = None,
        timestamp: Optional[Any] = None,
        chunk_rows: Optional[int] = None,
    ) -> Dict[str, Any]: ...
    def check(self, fail_on: str = "high", batch: Optional[str] = None) -> Dict[str, Any]: ...
    def report(self, out_dir: PathLike = "site", templates: Optional[PathLike] = None) -> Path: ...
    def export_prometheus(self) -> str: ...

"""Type stubs of the extension module (the Rust bindings); use the wrappers in ``driftscope``."""

from typing import Any, Optional, Tuple

class DriftscopeError(Exception):
    """An error of driftscope, with the message the ``driftscope`` command prints."""

class AlertError(DriftscopeError):
    """Raised by ``Monitor.check`` when an alert at or above the level fired."""

def drift(
    reference: Any,
    current: Any,
    config: Optional[str] = None,
    reference_label: str = "reference",
    current_label: str = "current",
) -> Tuple[str, str]: ...
def baseline(
    artifacts: str,
    data: str,
    prediction_column: Optional[str] = None,
    target: Optional[str] = None,
    config: Optional[str] = None,
    seed: Optional[int] = None,
) -> Tuple[str, str, str]: ...
def monitor(
    artifacts: str,
    batch: Any,
    label: str,
    batch_id: Optional[str] = None,
    timestamp: Optional[str] = None,
    config: Optional[str] = None,
    chunk_rows: Optional[int] = None,
) -> str: ...
def check(artifacts: str, fail_on: str = "high", batch: Optional[str] = None) -> str: ...
def report(artifacts: str, out: str, templates: Optional[str] = None) -> str: ...
def export_prometheus(artifacts: str) -> str: ...

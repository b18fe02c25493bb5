"""What every machine-translation provider offers, its settings and its typed errors.

A provider turns a list of texts into a list of translations. It reports each result through
``on_result(i, text)`` as soon as it has it, so a caller that stores results as they come
loses nothing when a later request fails (quota exhausted half-way through an archive).

Error messages name the provider and the HTTP status where known and never contain an API
key: keys are read from the environment at call time and only ever sent to the provider.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bpod_i18n.errors import ProviderError

ResultCallback = Callable[[int, str], None]


class ProviderFailure(ProviderError):
    """Base of the typed provider errors: carries the provider, the HTTP status and partial work.

    ``completed`` maps input index → translation for every text finished before the failure
    (the same results already handed to ``on_result``).
    """

    def __init__(self, message: str, *, provider: str, status: int | None = None):
        super().__init__(message)
        self.provider = provider
        self.status = status
        self.completed: dict[int, str] = {}


class ProviderAuthError(ProviderFailure):
    """The provider refused the credentials (HTTP 401/403) or no key is configured."""


class ProviderQuotaError(ProviderFailure):
    """The quota is used up (DeepL 456, 402, or 429 still returned after every retry)."""


class ProviderTimeout(ProviderFailure):
    """The provider did not answer within the configured timeout."""


class ProviderUnavailable(ProviderFailure):
    """The provider cannot be reached (connection refused, 5xx after retries, engine missing)."""


@dataclass(frozen=True)
class ProviderSettings:
    """How to reach and drive one provider (the ``[mt.providers.<name>]`` table of the config).

    ``api_key_env`` is the *name* of the environment variable holding the key, never the key.
    """

    url: str | None = None
    api_key_env: str | None = None
    timeout: float = 20.0  # seconds per request (per subprocess batch for Apertium)
    # Seconds a whole web request may take, however slowly the server trickles its answer
    # (``timeout`` bounds each wait for a byte); None: twice ``timeout``.
    deadline: float | None = None
    max_retries: int = 4  # extra attempts after a 429 or 5xx
    backoff_base: float = 0.5  # first retry waits this long, then doubles
    backoff_max: float = 30.0  # cap of one backoff wait
    max_retry_after: float = 120.0  # a longer Retry-After is treated as an exhausted quota
    concurrency: int = 4  # parallel requests (parallel processes for Apertium)
    variant: str | None = None  # Apertium mode variant, e.g. "valencia" → eng-cat_valencia
    region: str | None = None  # Microsoft Translator resource region
    modes: Mapping[str, str] = field(default_factory=dict)  # Apertium: target locale → mode

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise ValueError(f"timeout must be positive, not {self.timeout}")
        if self.deadline is not None and self.deadline <= 0:
            raise ValueError(f"deadline must be positive, not {self.deadline}")
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, not {self.max_retries}")
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be 1 or more, not {self.concurrency}")
        if self.backoff_base < 0 or self.backoff_max < 0:
            raise ValueError("backoff times must be 0 or more")

    @property
    def request_deadline(self) -> float:
        """The total seconds one web request may take."""
        return self.deadline if self.deadline is not None else 2 * self.timeout


class Provider(ABC):
    """A machine-translation engine: ``name`` and ``translate_batch``."""

    name: str
    # Whether the engine carries inline tags (<em>, <a1>...) through itself, placed with the
    # words they enclose (Apertium's HTML mode); otherwise they travel as placeholders.
    keeps_markup: bool = False

    @abstractmethod
    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        on_result: ResultCallback | None = None,
    ) -> list[str]:
        """Translate ``texts`` from ``source`` to ``target`` (language codes such as en, ca).

        Returns the translations in input order. ``on_result(i, translation)`` is called once
        per text, in the caller's thread, as results arrive (not necessarily in order). On
        failure raises a ``ProviderFailure`` subclass whose ``completed`` holds what was done.
        """

    def engine_id(self, source: str, target: str) -> str:
        """Identity of the engine configuration for a language pair, for cache keys.

        Two settings that can give different output for the same text must differ here.
        """
        return self.name


def deliver(results: dict[int, str], index: int, text: str, on_result: ResultCallback | None) -> None:
    """Record one result and hand it to the caller's callback."""
    results[index] = text
    if on_result is not None:
        on_result(index, text)

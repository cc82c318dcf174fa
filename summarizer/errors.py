"""Errors the user can act on: each carries a one-line message and an exit code."""

from __future__ import annotations


class SummarizerError(Exception):
    """Base class. The message is one line that says what went wrong and what to do."""

    exit_code = 1


class InputError(SummarizerError):
    """The article given cannot be used: missing, empty, binary, undecodable, too long."""

    exit_code = 2

    def __init__(self, source: str, problem: str, article_id: str | None = None) -> None:
        self.source = source
        self.problem = problem
        # The id the input gave, when it gave one (an archive's row): for the errors file.
        self.article_id = article_id
        super().__init__(f"{source}: {problem}")


class ConfigError(SummarizerError):
    """A setting, a prompt set, a missing key or a missing optional install."""

    exit_code = 2


class ContextOverflowError(SummarizerError):
    """The article does not fit the model's context window."""

    exit_code = 2

    @classmethod
    def counted(
        cls, prompt_tokens: int, reserved: int, limit: int, model: str
    ) -> ContextOverflowError:
        return cls(
            f"article too long for {model}: {prompt_tokens:,} prompt tokens + {reserved:,} "
            f"reserved for the answer exceed its {limit:,}-token context; "
            "shorten the article or use a model with a larger context"
        )


class EngineError(SummarizerError):
    """The model could not be reached or answered with an error, after transport retries."""


class ModelOutputError(SummarizerError):
    """The model's answers did not validate, after every re-ask."""


class AnswerCutOffError(ModelOutputError):
    """The model's answer ran into our limit on its length (max_tokens) and was cut off."""


def for_article(error: SummarizerError, source: str) -> SummarizerError:
    """The same error with the article's name in front, unless it already names it."""
    if isinstance(error, InputError) or str(error).startswith(f"{source}:"):
        return error
    named = type(error).__new__(type(error))
    named.__dict__.update(error.__dict__)
    Exception.__init__(named, f"{source}: {error}")
    return named

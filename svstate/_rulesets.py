"""The API by date: what the service accepted on a given day, as data.

Rules in this file:

* A ruleset is "the API in force on date D". Every dated fact svstate knows
  is a row in :data:`API_CHANGES` or in one of the ``*_SINCE`` tables below;
  nothing else in the package compares dates with literals.
* ``"latest"`` means the newest change svstate knows; a date after it gets
  the same rules, labelled with its own date.
* The default ruleset is ``"latest"``, today's service, as boto3 defaults to
  the newest API version; it moves with svstate releases. The seed's API,
  2019-10-14 (``trainingMode`` exists and UPDATE needs the HRNN-Coldstart
  recipe), is ``SEED_RULESET``.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping

import attrs

from svstate._errors import UnknownRuleset
from svstate._text import describe
from svstate._vocab import TrainingMode

__all__ = ["API_CHANGES", "DEFAULT_RULESET", "ApiChange", "Ruleset", "resolve_ruleset"]

_date = _dt.date

GA = _date(2019, 6, 10)
TRAINING_MODE = _date(2019, 10, 14)
USER_PERSONALIZATION_UPDATE = _date(2020, 8, 24)
STOP = _date(2021, 5, 20)
AUTOTRAIN = _date(2024, 4, 19)

_BOTOCORE = "botocore service model personalize/2018-05-22 (service-2.json)"


@attrs.frozen
class ApiChange:
    """One dated change of the Personalize API that svstate models.

    >>> from svstate._rulesets import API_CHANGES
    >>> API_CHANGES[0].date.isoformat()
    '2019-06-10'
    """

    __module__ = "svstate"

    date: _dt.date
    summary: str
    source: str


API_CHANGES: tuple[ApiChange, ...] = (
    ApiChange(
        GA,
        "General availability: versions go CREATE PENDING > CREATE IN_PROGRESS > "
        "ACTIVE or CREATE FAILED; no trainingMode.",
        "Amazon Personalize Developer Guide, 'What is Amazon Personalize' (GA 2019-06-10)",
    ),
    ApiChange(
        _date(2019, 9, 17),
        "SolutionVersion.trainingHours.",
        f"{_BOTOCORE}: SolutionVersion.trainingHours",
    ),
    ApiChange(
        TRAINING_MODE,
        "CreateSolutionVersion.trainingMode FULL | UPDATE; UPDATE needs an "
        "ACTIVE FULL version and the HRNN-Coldstart recipe.",
        "AWS API change log 2019/10/14, CreateSolutionVersion.trainingMode",
    ),
    ApiChange(
        _date(2020, 3, 18),
        "SolutionVersion.tunedHPOParams.",
        f"{_BOTOCORE}: SolutionVersion.tunedHPOParams",
    ),
    ApiChange(
        _date(2020, 8, 6),
        "CreateSolutionVersion may raise LimitExceededException; "
        "CreateCampaign.campaignConfig.itemExplorationConfig.",
        f"{_BOTOCORE}: CreateSolutionVersion errors, CampaignConfig",
    ),
    ApiChange(
        USER_PERSONALIZATION_UPDATE,
        "UPDATE also for the User-Personalization recipe.",
        f"{_BOTOCORE}: CreateSolutionVersionRequest.trainingMode documentation",
    ),
    ApiChange(
        _date(2021, 5, 18),
        "SolutionConfig.optimizationObjective.",
        f"{_BOTOCORE}: SolutionConfig.optimizationObjective",
    ),
    ApiChange(
        STOP,
        "StopSolutionVersionCreation; CREATE STOPPING and CREATE STOPPED.",
        f"{_BOTOCORE}: StopSolutionVersionCreation, SolutionVersion.status",
    ),
    ApiChange(
        _date(2021, 7, 21),
        "CreateCampaign.minProvisionedTPS becomes optional (default 1).",
        f"{_BOTOCORE}: CreateCampaignRequest.required",
    ),
    ApiChange(
        _date(2022, 4, 7),
        "tags on CreateSolutionVersion and CreateCampaign; TooManyTagsException.",
        f"{_BOTOCORE}: CreateSolutionVersionRequest.tags",
    ),
    ApiChange(
        _date(2022, 11, 17),
        "CreateSolutionVersion.name; ResourceAlreadyExistsException.",
        f"{_BOTOCORE}: CreateSolutionVersionRequest.name",
    ),
    ApiChange(
        _date(2023, 5, 30),
        "SolutionConfig.trainingDataConfig.excludedDatasetColumns.",
        f"{_BOTOCORE}: TrainingDataConfig",
    ),
    ApiChange(
        _date(2023, 11, 27),
        "CampaignConfig.enableMetadataWithRecommendations.",
        f"{_BOTOCORE}: CampaignConfig.enableMetadataWithRecommendations",
    ),
    ApiChange(
        AUTOTRAIN,
        "TrainingMode AUTOTRAIN; trainingType AUTOMATIC | MANUAL; "
        "Solution.performAutoTraining; CampaignConfig.syncWithLatestSolutionVersion and "
        "the SolutionArn/$LATEST form.",
        f"{_BOTOCORE}: TrainingMode, TrainingType",
    ),
    ApiChange(
        _date(2024, 8, 29),
        "UpdateSolution; Solution.latestSolutionUpdate.",
        f"{_BOTOCORE}: UpdateSolution",
    ),
    ApiChange(
        _date(2025, 4, 7),
        "SolutionConfig.eventsConfig.",
        f"{_BOTOCORE}: SolutionConfig.eventsConfig",
    ),
    ApiChange(
        _date(2025, 12, 1),
        "performIncrementalUpdate; includedDatasetColumns; CampaignConfig.rankingInfluence.",
        f"{_BOTOCORE}: performIncrementalUpdate",
    ),
)

LATEST = API_CHANGES[-1].date

TRAINING_MODE_SINCE: Mapping[TrainingMode, _dt.date] = {
    TrainingMode.FULL: TRAINING_MODE,
    TrainingMode.UPDATE: TRAINING_MODE,
    TrainingMode.AUTOTRAIN: AUTOTRAIN,
}

HRNN_COLDSTART = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
USER_PERSONALIZATION = "arn:aws:personalize:::recipe/aws-user-personalization"

# Recipes that accept trainingMode UPDATE, by the date they began to.
UPDATE_RECIPE_SINCE: Mapping[str, _dt.date] = {
    HRNN_COLDSTART: TRAINING_MODE,
    USER_PERSONALIZATION: USER_PERSONALIZATION_UPDATE,
}


@attrs.frozen(repr=False, cache_hash=True)
class Ruleset:
    """The Personalize API as it stood on one date.

    Build one with :meth:`Ruleset.parse`; every public function also accepts
    the date itself (``ruleset="2021-05-20"``).

    >>> rs = Ruleset.parse("2021-05-20")
    >>> rs.has_stop, sorted(m.value for m in rs.training_modes)
    (True, ['FULL', 'UPDATE'])
    >>> Ruleset.parse("latest").name
    '2025-12-01'
    """

    __module__ = "svstate"

    date: _dt.date
    training_modes: frozenset[TrainingMode] = attrs.field(init=False)
    update_recipes: frozenset[str] = attrs.field(init=False)
    has_stop: bool = attrs.field(init=False)
    name: str = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        day = self.date
        set_ = object.__setattr__
        set_(
            self,
            "training_modes",
            frozenset(m for m, since in TRAINING_MODE_SINCE.items() if since <= day),
        )
        set_(
            self,
            "update_recipes",
            frozenset(r for r, since in UPDATE_RECIPE_SINCE.items() if since <= day),
        )
        set_(self, "has_stop", day >= STOP)
        set_(self, "name", day.isoformat())

    def __repr__(self) -> str:
        return f"Ruleset({self.name!r})"

    def in_force(self, since: _dt.date) -> bool:
        """Whether something that took effect on ``since`` exists in this ruleset."""
        return since <= self.date

    @classmethod
    def parse(cls, value: object) -> Ruleset:
        """Return the ruleset for ``value``.

        ``value`` is a :class:`datetime.date` (or datetime), an ISO date string
        ``"YYYY-MM-DD"`` from 2019-06-10 on, ``"latest"``, or a
        :class:`Ruleset`. Anything else raises :class:`~svstate.UnknownRuleset`.

        >>> Ruleset.parse(Ruleset.parse("2020-01-01")).name
        '2020-01-01'
        """
        return resolve_ruleset(value)


# The default of every public entry point: today's service, as boto3 defaults to the newest
# API version. It moves with svstate releases; pin a date for verdicts that never change.
DEFAULT_RULESET = "latest"
SEED_RULESET = "2019-10-14"  # the API the project starts from: UPDATE for HRNN-Coldstart only
_ISO_DATE = r"\d{4}-\d{2}-\d{2}"
_CACHE: dict[object, Ruleset] = {}


def resolve_ruleset(value: object) -> Ruleset:
    """Like :meth:`Ruleset.parse`; the function every public entry point calls."""
    if type(value) is str or type(value) is _dt.date:
        cached = _CACHE.get(value)
        if cached is not None:
            return cached
    if isinstance(value, Ruleset):
        return value
    day = _ruleset_date(value)
    ruleset = Ruleset(day)
    if type(value) is str or type(value) is _dt.date:
        _CACHE[value] = ruleset
    return ruleset


def _ruleset_date(value: object) -> _dt.date:
    legal = f"an ISO date from {GA.isoformat()} on (e.g. {SEED_RULESET!r}), a datetime.date, or 'latest'"
    if isinstance(value, _dt.datetime):
        day = value.date()
    elif isinstance(value, _dt.date):
        day = _date(value.year, value.month, value.day)
    elif isinstance(value, str):
        if value == "latest":
            return LATEST
        if not re.fullmatch(_ISO_DATE, value):
            raise UnknownRuleset(f"ruleset {value[:40]!r} is not {legal}.")
        try:
            day = _date.fromisoformat(value)
        except ValueError:
            raise UnknownRuleset(
                f"ruleset {value!r} is not a real calendar date; pass {legal}."
            ) from None
    else:
        raise UnknownRuleset(
            f"ruleset must be {legal}, not {type(value).__name__} {describe(value)}."
        )
    if day < GA:
        raise UnknownRuleset(
            f"ruleset {day.isoformat()!r} is before {GA.isoformat()}, when Amazon Personalize "
            f"became generally available; pass {legal}."
        )
    return day

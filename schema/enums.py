"""Closed vocabularies of the domain, stored as strings guarded by CHECK constraints."""

from enum import StrEnum


class JurisdictionKind(StrEnum):
    """Where asks are made, from the widest to the narrowest."""

    NATION = "nation"
    STATE = "state"
    COUNTY = "county"
    CITY = "city"
    REGION = "region"
    DISTRICT = "district"


class DemandProvenance(StrEnum):
    """Where a checklist item came from, so moderators can trace every change."""

    SEEDED = "seeded"
    SUBMISSION = "submission"
    EDITORIAL = "editorial"


class ExampleKind(StrEnum):
    """What sort of real-world instance shows that a demand is winnable."""

    LEGISLATION = "legislation"
    DIRECTIVE = "directive"
    MOTION = "motion"
    RESOLUTION = "resolution"
    PROGRAM = "program"
    PRACTICE = "practice"
    AGREEMENT = "agreement"


class ResourceKind(StrEnum):
    """The shapes of material organizers share with each other."""

    TOOLKIT = "toolkit"
    FLYER = "flyer"
    MEMO = "memo"
    WEBINAR = "webinar"
    ARTICLE = "article"
    GUIDE = "guide"
    LAW = "law"
    HOTLINE = "hotline"


class OrganizationKind(StrEnum):
    """Broad kinds of member organizations, for filtering partner lists."""

    WORKER_CENTER = "worker_center"
    LEGAL_SERVICES = "legal_services"
    COMMUNITY = "community"
    UNION = "union"
    ADVOCACY = "advocacy"
    FAITH = "faith"
    ACADEMIC = "academic"
    OTHER = "other"


class CampaignStatus(StrEnum):
    """Where one ask of one target stands; every change is a status event."""

    NOT_STARTED = "not_started"
    MADE = "made"
    IN_PROGRESS = "in_progress"
    WON = "won"
    PARTIALLY_WON = "partially_won"
    STALLED = "stalled"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Visibility(StrEnum):
    """Who may read a record: everyone, or only the owning coalition."""

    PUBLIC = "public"
    COALITION = "coalition"


class ActivityKind(StrEnum):
    """The dated actions organizers log against a campaign."""

    MEETING = "meeting"
    LETTER = "letter"
    CALL = "call"
    TESTIMONY = "testimony"
    PRESS_CONFERENCE = "press_conference"
    RALLY = "rally"
    TRAINING = "training"
    RAPID_RESPONSE = "rapid_response"
    OTHER = "other"


class SubmissionKind(StrEnum):
    """What a crowd-sourced proposal offers to the checklist."""

    NEW_DEMAND = "new_demand"
    STRATEGY = "strategy"
    EXAMPLE = "example"
    RESOURCE = "resource"
    CORRECTION = "correction"


class SubmissionStatus(StrEnum):
    """Where a proposal stands in moderation; rejected ones are kept, never deleted."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class CoalitionRole(StrEnum):
    """What a member may do in one coalition; each role includes the ones before it."""

    VIEWER = "viewer"
    ORGANIZER = "organizer"
    MODERATOR = "moderator"
    COALITION_ADMIN = "coalition_admin"


class AuditAction(StrEnum):
    """The kinds of write the audit log records."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    STATUS_CHANGE = "status_change"


class SubmissionResolution(StrEnum):
    """What moderation did with a proposal."""

    CREATED = "created"
    AMENDED = "amended"
    MERGED = "merged"
    REJECTED = "rejected"


class TranslatedEntity(StrEnum):
    """Catalog records whose texts carry translations."""

    CATEGORY = "category"
    DEMAND = "demand"
    EXAMPLE = "example"
    RESOURCE = "resource"

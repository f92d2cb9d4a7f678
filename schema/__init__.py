"""The domain model: tables, enums and data shapes. Imports nothing from `api`."""

from schema.accounts import ApiToken, CoalitionMember, UserAccount
from schema.audit import AuditEntry
from schema.campaigns import Activity, Campaign, StatusEvent
from schema.catalog import Demand, DemandRevision, Example, TargetCategory, Translation
from schema.jurisdictions import Jurisdiction
from schema.organizations import Coalition, CoalitionFocus, CoalitionMembership, Organization
from schema.resources import DemandResource, Resource, ResourceJurisdiction, ResourceLanguage
from schema.submissions import Submission
from schema.targets import Target
from schema.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "Activity",
    "ApiToken",
    "AuditEntry",
    "Campaign",
    "Coalition",
    "CoalitionFocus",
    "CoalitionMember",
    "CoalitionMembership",
    "Demand",
    "DemandResource",
    "DemandRevision",
    "Example",
    "Jurisdiction",
    "Organization",
    "Resource",
    "ResourceJurisdiction",
    "ResourceLanguage",
    "StatusEvent",
    "Submission",
    "Target",
    "TargetCategory",
    "Translation",
    "UserAccount",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]

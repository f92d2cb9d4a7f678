"""Placeholder: routes land here."""

from fastapi import APIRouter

router = APIRouter(tags=["webhooks"])

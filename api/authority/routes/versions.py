"""Versions: publish (one at a time), list, download a package."""

from __future__ import annotations

import io
import tarfile
from typing import Annotated, Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select

from api.authority import audit
from api.authority.deps import Admin, Anyone, ClockDep, Downloader, KeysDep, SessionDep, SettingsDep
from api.authority.errors import NotFound
from api.authority.models import ListVersion, public
from api.authority.publishing import package_dir, publish_version

router = APIRouter(prefix="/v1/versions", tags=["versions"])


class PublishRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "weekly publication"}]}
    )
    reason: Annotated[str, Field(min_length=3, max_length=500)]


@router.post(
    "", status_code=status.HTTP_201_CREATED, summary="Publish the current entries as the next version"
)
def publish(
    body: PublishRequest,
    actor: Admin,
    session: SessionDep,
    settings: SettingsDep,
    keys: KeysDep,
    clock: ClockDep,
) -> dict[str, Any]:
    row = publish_version(session, settings, keys, actor=actor.name, reason=body.reason, clock=clock)
    return public(row)


@router.get("", summary="List published versions")
def list_versions(actor: Anyone, session: SessionDep) -> list[dict[str, Any]]:
    return [public(row) for row in session.exec(select(ListVersion).order_by(col(ListVersion.version)))]


@router.get(
    "/{version}/package",
    summary="Download a version's package (tar)",
    response_class=Response,
    responses={200: {"content": {"application/x-tar": {}}}},
)
def download(
    version: int, actor: Downloader, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> Response:
    row = session.get(ListVersion, version)
    if row is None:
        raise NotFound("no such version")
    folder = package_dir(settings, version)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for path in sorted(folder.iterdir()):
            archive.add(path, arcname=path.name)
    audit.append(session, actor=actor.name, action="version.download", subject=str(version), now=clock())
    session.commit()
    return Response(
        buffer.getvalue(),
        media_type="application/x-tar",
        headers={"Content-Disposition": f'attachment; filename="{row.list_id}-v{version}.tar"'},
    )

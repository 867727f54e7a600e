from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no public address: evidence is served only through the permission-checked download view."""

    def url(self, name: str | None) -> str:
        raise ValueError("Evidence has no public address; link to the evidence_download view instead")

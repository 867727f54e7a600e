from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower


class UserManager(BaseUserManager["User"]):
    """Users sign in with their e-mail address; there is no separate username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("Enter an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in: council staff, members, LGA advisers or platform staff."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    job_title = models.CharField(max_length=200, blank=True, help_text="For example 'Head of Policy'.")
    # Reminders a person may turn off in their account; those asking for their own overdue work always go.
    wants_lead_digest = models.BooleanField(
        "weekly digest", default=True, help_text="Improvement leads: a weekly summary of the open update round."
    )
    wants_timetable_reminders = models.BooleanField(
        "LGA timetable reminders",
        default=True,
        help_text="Improvement leads: when an action plan or a progress review is due.",
    )

    objects = UserManager()  # type: ignore[misc]

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

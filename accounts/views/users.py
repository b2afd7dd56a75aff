"""Coordinator pages for staff and donor users: list, invite, role, out of use and back.

Every change is a POST to a service in accounts.services; a refusal comes back as a
message (or on the invite form's fields), and a mail that did not go out is said so.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import selectors, services, two_factor
from accounts.forms import InvitationResendForm, UserFilterForm, UserInviteForm, UserRoleForm
from accounts.mail import MAIL_NOT_CONFIGURED, MailNotSent
from accounts.timelines import user_timeline
from kierratys.forms import show_refusal
from kierratys.messages import messages_from_error, messages_from_form
from kierratys.roles import COORDINATOR, role_required
from kierratys.timeline import person_name

PAGE_SIZE = 50

INVITED = _("Käyttäjä %(name)s on lisätty ja kutsu lähetetty osoitteeseen %(email)s.")
INVITED_NOT_SENT = _(
    "Käyttäjä %(name)s on lisätty, mutta kutsua ei lähetetty: %(reason)s "
    "Lähetä kutsu uudelleen käyttäjän sivulta."
)
INVITATION_RESENT = _("Uusi kutsu on lähetetty osoitteeseen %(email)s.")
INVITATION_NOT_RESENT = _("Kutsua ei lähetetty: %(reason)s")
ROLE_CHANGED = _("Käyttäjän %(name)s rooli on nyt %(role)s.")
DEACTIVATED = _(
    "Käyttäjätunnus %(name)s on poistettu käytöstä. Hänen kirjauksensa säilyvät hänen nimellään."
)
REACTIVATED = _("Käyttäjätunnus %(name)s on taas käytössä.")


def _user(pk):
    return get_object_or_404(get_user_model(), pk=pk)


def _detail(user):
    return redirect("accounts:user_detail", pk=user.pk)


def _label_roles(users):
    for user in users:
        user.role = services.role_of(user)
        user.role_label = services.ROLE_LABELS.get(user.role, "")
    return users


@role_required(COORDINATOR)
def user_list(request):
    """Users by name, filtered by role and by whether they are in use (default: in use)."""
    data = request.GET.copy()
    data.setdefault("active", "1")
    form = UserFilterForm(data)
    role, active = "", True
    if form.is_valid():
        role = form.cleaned_data["role"]
        active = {"1": True, "0": False}.get(form.cleaned_data["active"])
    page = Paginator(selectors.users_for_list(role=role, active=active), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _label_roles(page.object_list)
    query = data.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/user_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "mail_configured": settings.MAIL_CONFIGURED,
        },
    )


@role_required(COORDINATOR)
def user_invite(request):
    """Add a staff or donor user; the invitation mail has the link to set a password."""
    form = UserInviteForm(request.POST or None, initial={"donor": request.GET.get("donor")})
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            user = services.user_invite(
                actor=request.user,
                username=values["username"],
                first_name=values["first_name"],
                last_name=values["last_name"],
                email=values["email"],
                role=values["role"],
                donor=values["donor"],
                language=values["language"],
            )
        except MailNotSent as error:
            # The user exists (the mail goes after the commit): say so, and why no mail.
            user = get_user_model().objects.get(username=values["username"])
            messages.warning(
                request, INVITED_NOT_SENT % {"name": person_name(user), "reason": error.message}
            )
            return _detail(user)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, INVITED % {"name": person_name(user), "email": user.email})
            return _detail(user)
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "mail_configured": settings.MAIL_CONFIGURED,
            "mail_not_configured": MAIL_NOT_CONFIGURED,
        },
        status=400 if form.errors else 200,
    )


@role_required(COORDINATOR)
def user_detail(request, pk):
    """One user: role and organisations, change the role, out of use and back, history."""
    user = _user(pk)
    _label_roles([user])
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": user,
            "organisations": list(user.donor_organisations.order_by("name")),
            "role_form": UserRoleForm(initial={"role": user.role}),
            "resend_form": InvitationResendForm(
                initial={"language": services.invitation_language(user)}
            ),
            "invitation_pending": not user.has_usable_password(),
            "is_self": user.pk == request.user.pk,
            "totp_device": two_factor.confirmed_totp_device(user),
            "mail_configured": settings.MAIL_CONFIGURED,
            "timeline": user_timeline(user),
        },
    )


@require_POST
@role_required(COORDINATOR)
def user_change_role(request, pk):
    user = _user(pk)
    form = UserRoleForm(request.POST)
    if not form.is_valid():
        messages_from_form(request, form)
        return _detail(user)
    role = form.cleaned_data["role"]
    try:
        user = services.user_change_role(
            user=user, role=role, donor=form.cleaned_data["donor"], actor=request.user
        )
    except ValidationError as error:
        messages_from_error(request, error)
    else:
        messages.success(
            request, ROLE_CHANGED % {"name": person_name(user), "role": services.ROLE_LABELS[role]}
        )
    return _detail(user)


@require_POST
@role_required(COORDINATOR)
def user_deactivate(request, pk):
    user = _user(pk)
    try:
        user = services.user_deactivate(user=user, actor=request.user)
    except ValidationError as error:
        messages_from_error(request, error)
    else:
        messages.success(request, DEACTIVATED % {"name": person_name(user)})
    return _detail(user)


@require_POST
@role_required(COORDINATOR)
def user_reactivate(request, pk):
    user = _user(pk)
    try:
        user = services.user_reactivate(user=user, actor=request.user)
    except ValidationError as error:
        messages_from_error(request, error)
    else:
        messages.success(request, REACTIVATED % {"name": person_name(user)})
    return _detail(user)


@require_POST
@role_required(COORDINATOR)
def user_invitation_resend(request, pk):
    user = _user(pk)
    form = InvitationResendForm(request.POST)
    language = form.cleaned_data["language"] if form.is_valid() else None
    try:
        services.user_invitation_resend(user=user, actor=request.user, language=language)
    except ValidationError as error:
        messages_from_error(request, error)
    except MailNotSent as error:
        messages.error(request, INVITATION_NOT_RESENT % {"reason": error.message})
    else:
        messages.success(request, INVITATION_RESENT % {"email": user.email})
    return _detail(user)

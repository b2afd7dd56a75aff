from django.urls import path

from accounts.views import passwords, two_factor, users

app_name = "accounts"

urlpatterns = [
    path("users/", users.user_list, name="user_list"),
    path("users/invite/", users.user_invite, name="user_invite"),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("users/<int:pk>/role/", users.user_change_role, name="user_change_role"),
    path("users/<int:pk>/deactivate/", users.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", users.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/invitation/", users.user_invitation_resend, name="user_invitation_resend"),
    path("invitation/<uidb64>/<token>/", passwords.invitation_accept, name="invitation_accept"),
    # The same path as django.contrib.auth.urls' "password_reset", which this shadows
    # (kierratys/urls.py includes these URLs first): reverse("password_reset") lands here.
    path("password_reset/", passwords.password_reset, name="password_reset"),
    # Two-factor login (accounts/two_factor.py)
    path("two-factor/", two_factor.two_factor_manage, name="two_factor_manage"),
    path("two-factor/enrol/", two_factor.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path(
        "two-factor/recovery-codes/",
        two_factor.recovery_codes_regenerate,
        name="two_factor_recovery_codes",
    ),
    path("two-factor/remove/", two_factor.two_factor_remove, name="two_factor_remove"),
    path(
        "users/<int:pk>/two-factor/remove/",
        two_factor.two_factor_remove_for_user,
        name="two_factor_remove_for_user",
    ),
]

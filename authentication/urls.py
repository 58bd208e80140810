from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("allauth.urls")),
    # The seed's names: /auth/register/ is the sign-up page (allauth's /auth/signup/ still answers).
    path("register/", views.signup, name="account_signup"),
    # Asks before allauth's email page removes an address (its own page did it on one click).
    path("email/remove/", views.email_remove_view, name="account-email-remove"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile-edit"),
    path("profile/timezone/", views.profile_timezone, name="profile-timezone"),
    path("guardians/", views.guardian_list, name="guardians"),
    path("guardians/<int:link_id>/accept/", views.guardian_accept_view, name="guardian-accept"),
    path("guardians/<int:link_id>/remove/", views.guardian_remove_view, name="guardian-remove"),
    path("guardians/<int:link_id>/consent/", views.guardian_consent_view, name="guardian-consent"),
]

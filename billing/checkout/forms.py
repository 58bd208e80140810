from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import PaymentMethod


class CheckoutForm(forms.Form):
    """The pay page's choices: how to pay (where there is a choice) and a coupon."""

    method = forms.ChoiceField(
        label=_("How to pay"), widget=forms.RadioSelect, required=False, choices=()
    )
    coupon = forms.CharField(label=_("Coupon code"), max_length=40, required=False)

    def __init__(self, *args, methods: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            PaymentMethod.STRIPE: _("Card (secure payment page)"),
            PaymentMethod.MANUAL: _("Bank transfer (we send you an invoice)"),
        }
        self.fields["method"].choices = [(m, labels[m]) for m in methods]
        self.fields["method"].initial = methods[0]
        if len(methods) == 1:
            self.fields["method"].widget = forms.HiddenInput()

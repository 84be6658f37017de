// Gives <pay-form> the payment of the link before payform.js (a module, so later) upgrades it.
document.getElementById('form').setAttribute('src', new URLSearchParams(location.search).get('src'));

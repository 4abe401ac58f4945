"""French and English messages of the news watch (feeds, fetching, item messages)."""

from __future__ import annotations

from bot.i18n import register_messages

FR = {
    # URL guard and fetching errors: "watch.error.<code>"
    "watch.error.invalid": "cette adresse n'est pas une URL valide",
    "watch.error.scheme": "seules les adresses http(s) sont acceptées",
    "watch.error.credentials": "les identifiants dans l'URL ne sont pas acceptés",
    "watch.error.address": "adresse non autorisée (réseau privé ou local)",
    "watch.error.dns": "nom de domaine introuvable",
    "watch.error.connect": "connexion impossible au serveur",
    "watch.error.timeout": "le serveur ne répond pas (délai dépassé)",
    "watch.error.deadline": "le téléchargement a pris trop de temps",
    "watch.error.too_large": "le flux est trop volumineux",
    "watch.error.encoding": "encodage de contenu non pris en charge",
    "watch.error.decode": "contenu compressé illisible",
    "watch.error.too_many_redirects": "trop de redirections",
    "watch.error.bad_redirect": "redirection invalide",
    "watch.error.not_found": "page introuvable (erreur 404)",
    "watch.error.gone": "le flux a été supprimé par son site (erreur 410)",
    "watch.error.rate_limited": "le site demande de ralentir (erreur 429)",
    "watch.error.unavailable": "le site est momentanément indisponible (erreur 503)",
    "watch.error.server_error": "erreur du serveur du site (erreur {status})",
    "watch.error.http_status": "réponse inattendue du site (erreur {status})",
    "watch.error.protocol": "réponse HTTP invalide",
    "watch.error.not_a_feed": "cette adresse n'est pas un flux RSS/Atom",
    "watch.error.internal": "erreur interne pendant la lecture du flux",
}

EN = {
    "watch.error.invalid": "this is not a valid URL",
    "watch.error.scheme": "only http(s) URLs are supported",
    "watch.error.credentials": "credentials in URL not allowed",
    "watch.error.address": "address not allowed (private or local network)",
    "watch.error.dns": "domain name not found",
    "watch.error.connect": "could not connect to the server",
    "watch.error.timeout": "the server does not answer (timeout)",
    "watch.error.deadline": "the download took too long",
    "watch.error.too_large": "the feed is too large",
    "watch.error.encoding": "unsupported content encoding",
    "watch.error.decode": "unreadable compressed content",
    "watch.error.too_many_redirects": "too many redirects",
    "watch.error.bad_redirect": "invalid redirect",
    "watch.error.not_found": "page not found (error 404)",
    "watch.error.gone": "the feed was removed by its site (error 410)",
    "watch.error.rate_limited": "the site asks us to slow down (error 429)",
    "watch.error.unavailable": "the site is temporarily unavailable (error 503)",
    "watch.error.server_error": "the site's server failed (error {status})",
    "watch.error.http_status": "unexpected answer from the site (error {status})",
    "watch.error.protocol": "invalid HTTP response",
    "watch.error.not_a_feed": "this URL is not an RSS/Atom feed",
    "watch.error.internal": "internal error while reading the feed",
}

register_messages({"fr": FR, "en": EN})

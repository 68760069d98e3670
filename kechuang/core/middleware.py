"""Request middleware."""

from django.utils.cache import patch_vary_headers


class VaryOnHtmxMiddleware:
    """Pages answer htmx requests with fragments, so caches must key on the HX-Request header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response


class ChineseFirstMiddleware:
    """Simplified Chinese unless the user picked another language (the language cookie).

    The browser's Accept-Language is ignored on purpose: bureau PCs often run English-language
    browsers, and the product's default language is Chinese. Must run before LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)

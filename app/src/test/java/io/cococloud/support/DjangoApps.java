package io.cococloud.support;

/** A minimal Django 4.2 app the runtime and site tests run: settings in code, no database, two URLs, a template. */
public final class DjangoApps {

    private DjangoApps() {}

    /**
     * The app in one file, as EdgeOne's Django mode finds it ({@code application = get_wsgi_application()}), with its
     * template in {@code templates/} beside it.
     */
    public static final String MINIMAL = """
            import os
            import django
            from django.conf import settings

            settings.configure(
                SECRET_KEY='only-for-this-test',
                ALLOWED_HOSTS=['*'],
                ROOT_URLCONF=__name__,
                DATABASES={},
                TEMPLATES=[{'BACKEND': 'django.template.backends.django.DjangoTemplates',
                            'DIRS': [os.path.join(os.path.dirname(__file__), 'templates')]}],
            )
            django.setup()

            from django.core.wsgi import get_wsgi_application
            from django.http import JsonResponse
            from django.shortcuts import render
            from django.urls import path

            ITEMS = ['tea', '<cake>']

            def hello(request, name):
                return render(request, 'hello.html', {'name': name, 'items': ITEMS})

            def items(request):
                return JsonResponse({'items': ITEMS, 'path': request.path})

            urlpatterns = [path('hello/<str:name>', hello), path('items', items)]
            application = get_wsgi_application()
            """;

    /** templates/hello.html of {@link #MINIMAL}. */
    public static final String HELLO_TEMPLATE = """
            <h1>Hello {{ name }}</h1>
            <p>{{ items|length }} items: {{ items|join:", " }}</p>
            """;
}

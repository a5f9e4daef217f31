package io.cococloud.support;

/**
 * The Python examples of reference/alibaba-fc-http-handlers.txt that more than one test runs, verbatim (the
 * document's indentation restored, nothing else changed).
 */
public final class FcHttpExamples {

    private FcHttpExamples() {}

    /** "Example: Implement a Flask application". */
    public static final String FLASK = """
            from flask import Flask

            app = Flask(__name__)

            @app.route('/')
            def index():
                return 'Web App with Python Flask!'

            def handler(environ, start_response):
                return app(environ, start_response)
            """;
}

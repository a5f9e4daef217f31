package io.cococloud.support;

/**
 * The Python examples of reference/edgeone-pages-python-functions.txt, verbatim (the document lost its line breaks
 * and indentation; they are restored here and nothing else is changed). Run as single functions, as site routes and
 * in the runtime itself by the tests.
 */
public final class EdgeOneExamples {

    private EdgeOneExamples() {}

    // ---- Getting Started: "Basic Example: Handler Class" ----
    public static final String BASIC_HANDLER_CLASS = """
            # ./cloud-functions/api/hello.py
            from http.server import BaseHTTPRequestHandler
            class handler(BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200)
                    self.send_header('Content-Type', 'application/json')
                    self.end_headers()
                    self.wfile.write('{"message": "Hello from Python Functions!"}'.encode('utf-8'))
            """;

    // ---- "Advanced Example: Using the Flask Framework" ----
    public static final String FLASK = """
            # ./cloud-functions/api/index.py
            from flask import Flask, jsonify, request
            app = Flask(__name__)
            @app.route('/users', methods=['GET'])
            def get_users():
                return jsonify({'users': [{'id': 1, 'name': 'Alice'},{'id': 2, 'name': 'Bob'}]})
            @app.route('/users', methods=['POST'])
            def create_user():
                data = request.get_json()
                return jsonify({'message': 'User created', 'user': data}), 201
            """;

    // ---- "Advanced Example: Using the FastAPI Framework" ----
    public static final String FASTAPI = """
            # ./cloud-functions/api/index.py
            from fastapi import FastAPI
            app = FastAPI()
            @app.get('/items')
            async def list_items():
                return {'items': [{'id': 1, 'name': 'Item A'}, {'id': 2, 'name': 'Item B'}]}
            @app.get('/items/{item_id}')
            async def get_item(item_id: int):
                return {'item_id': item_id, 'name': f'Item {item_id}'}
            @app.post('/items')
            async def create_item(item: dict):
                return {'message': 'Item created', 'item': item}
            """;

    // ---- "Dynamic Routing Parameter Retrieval" ----
    public static final String USER_BY_ID = """
            # ./cloud-functions/api/users/[id].py
            from http.server import BaseHTTPRequestHandler
            class handler(BaseHTTPRequestHandler):
                def do_GET(self):
                    # self.path is the path without the prefix removed
                    user_id = self.path.strip('/')
                    self.send_response(200)
                    self.send_header('Content-Type', 'application/json')
                    self.end_headers()
                    self.wfile.write(f'{{"user_id": "{user_id}"}}'.encode('utf-8'))
            """;

    // ---- Function Handlers: "Basic Usage" ----
    public static final String HELLO_WORLD = """
            # ./cloud-functions/api/hello.py
            from http.server import BaseHTTPRequestHandler
            class handler(BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200)
                    self.send_header('Content-Type', 'text/plain')
                    self.end_headers()
                    self.wfile.write('Hello, world!'.encode('utf-8'))
            """;

    // ---- "Handling Multiple Request Methods" ----
    public static final String USERS = """
            # ./cloud-functions/api/users/index.py
            from http.server import BaseHTTPRequestHandler
            import json
            class handler(BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200)
                    self.send_header('Content-Type', 'application/json')
                    self.end_headers()
                    self.wfile.write('{"users": []}'.encode('utf-8'))
                def do_POST(self):
                    content_length = int(self.headers.get('Content-Length', 0))
                    body = self.rfile.read(content_length).decode('utf-8')
                    data = json.loads(body) if body else {}
                    self.send_response(201)
                    self.send_header('Content-Type', 'application/json')
                    self.end_headers()
                    self.wfile.write(json.dumps({'message': 'Created', 'data': data}).encode('utf-8'))
                def do_DELETE(self):
                    self.send_response(204)
                    self.end_headers()
            """;

    // ---- "Query Parameter Retrieval" ----
    public static final String SEARCH = """
            # ./cloud-functions/api/search.py
            from http.server import BaseHTTPRequestHandler
            from urllib.parse import urlparse, parse_qs
            class handler(BaseHTTPRequestHandler):
                def do_GET(self):
                    # Parse query parameters
                    parsed = urlparse(self.path)
                    query_params = parse_qs(parsed.query)
                    # query_params example: {'name': ['Alice'], 'age': ['25']}
                    name = query_params.get('name', ['Guest'])[0]
                    self.send_response(200)
                    self.send_header('Content-Type', 'application/json')
                    self.end_headers()
                    self.wfile.write(f'{{"hello": "{name}"}}'.encode('utf-8'))
            """;
}

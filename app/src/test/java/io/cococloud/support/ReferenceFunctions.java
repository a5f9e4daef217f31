package io.cococloud.support;

/** Functions of the reference (cococloud-function-environment.txt) that more than one test runs verbatim. */
public final class ReferenceFunctions {

    /** Example 3, the contact form handler: shows the form, validates, stores the submission and mails it. */
    public static final String FORM_HANDLER = """
                def main():
                    # Handle form submission
                    if request.method == 'POST':
                        # Get form data
                        name = request.get('name', '').strip()
                        email = request.get('email', '').strip()
                        message = request.get('message', '').strip()
                        # Validate
                        if not name or not email or not message:
                            return render.render_html('''
                            <!DOCTYPE html>
                            <html>
                            <body>
                                <h1>Error</h1>
                                <p>All fields are required.</p>
                                <a href="?">Go back</a>
                            </body>
                            </html>
                            ''')
                        # Save to database
                        db.create_document('contact_submissions', {
                            'name': name,
                            'email': email,
                            'message': message,
                            'submitted_at': datetime.now().isoformat()
                        })
                        # Send notification email
                        request.send_mail(
                            to='admin@example.com',
                            subject=f'New contact form submission from {name}',
                            body=f'''
                            <h2>New Contact Form Submission</h2>
                            <p><strong>Name:</strong> {name}</p>
                            <p><strong>Email:</strong> {email}</p>
                            <p><strong>Message:</strong></p>
                            <p>{message}</p>
                            '''
                        )
                        # Show success
                        return render.render_html('''
                        <!DOCTYPE html>
                        <html>
                        <body>
                            <h1>Thank You!</h1>
                            <p>Your message has been sent.</p>
                            <a href="?">Submit another</a>
                        </body>
                        </html>
                        ''')
                    # Show form
                    html = '''
                    <!DOCTYPE html>
                    <html>
                    <head>
                        <title>Contact Us</title>
                        <link rel="stylesheet" href="{{ static('css/form.css') }}">
                    </head>
                    <body>
                        <h1>Contact Us</h1>
                        <form method="POST">
                            <input type="text" name="name" placeholder="Your Name" required>
                            <input type="email" name="email" placeholder="Your Email" required>
                            <textarea name="message" placeholder="Your Message" required></textarea>
                            <button type="submit">Send Message</button>
                        </form>
                    </body>
                    </html>
                    '''
                    return render.render_html(html)
                """;

    private ReferenceFunctions() {
    }
}

package io.cococloud.template;

import java.nio.charset.Charset;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.loader.ResourceLocator;
import com.hubspot.jinjava.loader.ResourceNotFoundException;

/**
 * Where {@code include} and {@code extends} find their templates: among the stored templates of the project of
 * the render in progress, and nowhere else. (Jinjava's default locator reads the server's classpath.)
 */
final class StoredTemplateLocator implements ResourceLocator {

    private final TemplateCache templates;

    StoredTemplateLocator(TemplateCache templates) {
        this.templates = templates;
    }

    @Override
    public String getString(String fullName, Charset encoding, JinjavaInterpreter interpreter)
            throws ResourceNotFoundException {
        RenderScope scope = RenderScope.of(interpreter);
        if (scope == null || templates == null || !TemplateName.isValid(fullName)) {
            throw new ResourceNotFoundException("Template '" + fullName + "' does not exist");
        }
        return templates.find(scope.projectId(), fullName).map(CachedTemplate::content)
                .orElseThrow(() -> new ResourceNotFoundException("Template '" + fullName + "' does not exist"));
    }
}

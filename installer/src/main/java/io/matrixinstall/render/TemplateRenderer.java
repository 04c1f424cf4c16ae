package io.matrixinstall.render;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the templates packaged under {@code templates/} in the jar. Output must be a pure function of
 * the model (no dates, no locale-dependent numbers) so that rendering twice is byte-identical.
 */
public final class TemplateRenderer {
    /**
     * One configuration for every renderer of a run: FreeMarker's is thread-safe once configured, and its template
     * cache then parses each template once per run, not once per renderer (a run makes about ten).
     */
    private static final Configuration SHARED = configuration();

    private final Configuration freemarker = SHARED;

    public TemplateRenderer() {
    }

    private static Configuration configuration() {
        Configuration freemarker = new Configuration(Configuration.VERSION_2_3_33);
        freemarker.setClassForTemplateLoading(TemplateRenderer.class, "/templates");
        freemarker.setDefaultEncoding("UTF-8");
        freemarker.setLocale(Locale.ROOT);
        freemarker.setNumberFormat("computer");
        freemarker.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        freemarker.setLogTemplateExceptions(false);
        freemarker.setWrapUncheckedExceptions(true);
        freemarker.setFallbackOnNullLoopVariable(false);
        // yaml(), cron_arg(), systemd_arg(): every value written into those files goes through one of them.
        Escapes.functions().forEach(freemarker::setSharedVariable);
        return freemarker;
    }

    public byte[] render(String template, Map<String, Object> model) {
        try {
            Template t = freemarker.getTemplate(template);
            StringWriter out = new StringWriter();
            t.process(model, out);
            return out.toString().getBytes(StandardCharsets.UTF_8);
        } catch (IOException | TemplateException e) {
            // A template bug, not operator input: the message names the template only, never model values.
            throw new IllegalStateException("template " + template + " failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Parses every packaged template into the shared cache and renders a one-line one: FreeMarker's parser and core,
     * the slow part of a run's first render, loaded and used by a start-up thread while the main one parses the
     * command line and gathers the facts. Templates are only parsed here, never rendered: no model exists yet.
     */
    public void warmUp() {
        try {
            new Template("warm-up", "${n?c} <#if n gt 0>${n}</#if>", freemarker).process(Map.of("n", 1), Writer.nullWriter());
            for (String name : PackagedTemplates.names()) {
                freemarker.getTemplate(name);
            }
        } catch (IOException | TemplateException e) {
            throw new IllegalStateException("FreeMarker cannot parse the packaged templates: " + e.getMessage(), e);
        }
    }
}

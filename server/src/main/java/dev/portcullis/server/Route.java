package dev.portcullis.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One endpoint: a method, a path template such as {@code /v2/{name}/blobs/{digest}} and its handler.
 * {@code {name}} matches a repository name (which may contain slashes); other placeholders match one segment.
 */
record Route(String id, String method, String template, Pattern pattern, List<String> params, Endpoint endpoint) {

    /** The code behind a route. */
    @FunctionalInterface
    interface Endpoint {
        void handle(Exchange exchange) throws Exception;
    }

    static Route of(String method, String template, Endpoint endpoint) {
        StringBuilder regex = new StringBuilder("^");
        List<String> params = new java.util.ArrayList<>();
        Matcher m = Pattern.compile("\\{(\\w+)}").matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            String param = m.group(1);
            regex.append(param.equals("name") ? "(?<name>.+)" : "(?<" + param + ">[^/]+)");
            params.add(param);
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append('$');
        String id = method + " " + template;
        return new Route(id, method, template, Pattern.compile(regex.toString()), List.copyOf(params), endpoint);
    }

    /** The path parameters when {@code path} matches this route's template. */
    Optional<Map<String, String>> match(String path) {
        Matcher m = pattern.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String p : params) {
            values.put(p, m.group(p));
        }
        return Optional.of(values);
    }
}

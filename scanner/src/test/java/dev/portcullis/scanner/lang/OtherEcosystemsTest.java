package dev.portcullis.scanner.lang;

import static dev.portcullis.scanner.lang.testing.Fixtures.analyze;
import static dev.portcullis.scanner.lang.testing.Fixtures.purls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.scanner.lang.dotnet.DotnetPackages;
import dev.portcullis.scanner.lang.php.Composer;
import dev.portcullis.scanner.lang.ruby.RubyGems;
import dev.portcullis.scanner.lang.rust.CargoLock;
import dev.portcullis.scanner.analyzer.CollectingSink;
import org.junit.jupiter.api.Test;

/** Ruby, Rust, PHP and .NET: the corpus has no images of these, so each format is a fixture in the test. */
class OtherEcosystemsTest {

    @Test
    void installedGemspecAsRubyGemsWritesIt() {
        String spec = """
                # -*- encoding: utf-8 -*-
                # stub: rack 2.2.3 ruby lib

                Gem::Specification.new do |s|
                  s.name = "rack".freeze
                  s.version = "2.2.3"

                  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
                  s.licenses = ["MIT".freeze]
                  s.summary = "a modular Ruby webserver interface".freeze
                end
                """;
        CollectingSink sink = analyze(RubyGems.installed(), "usr/local/bundle/specifications/rack-2.2.3.gemspec", spec);

        assertThat(purls(sink)).containsExactly("pkg:gem/rack@2.2.3");
        assertThat(sink.packages.getFirst().licenses()).containsExactly("MIT");
        assertThat(sink.packages.getFirst().properties()).containsEntry("evidence", "installed");
        assertThat(analyze(RubyGems.installed(), "a/specifications/x.gemspec", "s.summary = 'x'").unreadable).hasSize(1);
    }

    @Test
    void gemfileLockGemSectionWithPlatforms() {
        String lock = """
                GIT
                  remote: https://example.invalid/x.git
                  specs:
                    private_gem (0.1.0)

                GEM
                  remote: https://rubygems.org/
                  specs:
                    actionpack (7.0.4)
                      rack (~> 2.0, >= 2.2.0)
                    nokogiri (1.13.10-x86_64-linux)
                      racc (~> 1.4)
                    rack (2.2.3)

                PLATFORMS
                  x86_64-linux

                BUNDLED WITH
                   2.3.26
                """;
        assertThat(purls(analyze(RubyGems.gemfileLock(), "app/Gemfile.lock", lock))).containsExactly(
                "pkg:gem/actionpack@7.0.4", "pkg:gem/nokogiri@1.13.10", "pkg:gem/rack@2.2.3");
    }

    @Test
    void cargoLockRegistryAndGitPackagesNotWorkspaceCrates() {
        String lock = """
                version = 3

                [[package]]
                name = "myapp"
                version = "0.1.0"
                dependencies = ["serde"]

                [[package]]
                name = "serde"
                version = "1.0.152"
                source = "registry+https://github.com/rust-lang/crates.io-index"
                checksum = "bb7d1f0d3021d347a83e556fc4683dea2ea09d87bccdf88ff5c12545d89d5efb"

                [[package]]
                name = "forked"
                version = "0.2.0"
                source = "git+https://example.invalid/forked?rev=abc#abc"
                """;
        assertThat(purls(analyze(CargoLock.analyzer(), "src/Cargo.lock", lock))).containsExactly(
                "pkg:cargo/serde@1.0.152", "pkg:cargo/forked@0.2.0");
    }

    @Test
    void composerInstalledV1V2AndLock() {
        String v2 = """
                {"packages":[{"name":"symfony/http-kernel","version":"v5.4.0","version_normalized":"5.4.0.0",
                  "license":["MIT"]},{"name":"monolog/monolog","version":"2.8.0"}],"dev":true}""";
        CollectingSink installed = analyze(Composer.installed(), "var/www/vendor/composer/installed.json", v2);
        assertThat(purls(installed)).containsExactly("pkg:composer/symfony/http-kernel@5.4.0",
                "pkg:composer/monolog/monolog@2.8.0");
        assertThat(installed.packages.getFirst().licenses()).containsExactly("MIT");
        assertThat(purls(analyze(Composer.installed(), "vendor/composer/installed.json",
                "[{\"name\":\"psr/log\",\"version\":\"1.1.4\"}]"))).containsExactly("pkg:composer/psr/log@1.1.4");
        String lock = """
                {"packages":[{"name":"guzzlehttp/guzzle","version":"7.5.0"}],
                 "packages-dev":[{"name":"phpunit/phpunit","version":"9.5.27"}]}""";
        CollectingSink locked = analyze(Composer.lock(), "var/www/composer.lock", lock);
        assertThat(purls(locked)).containsExactly("pkg:composer/guzzlehttp/guzzle@7.5.0",
                "pkg:composer/phpunit/phpunit@9.5.27");
        assertThat(locked.packages.get(1).properties()).containsEntry("scope", "dev");
        assertThat(analyze(Composer.installed(), "vendor/composer/installed.json",
                "[{\"name\":\"noslash\",\"version\":\"1\"}]").unreadable).hasSize(1);
    }

    @Test
    void dotnetDepsJsonAndPackagesLock() {
        String deps = """
                {"runtimeTarget":{"name":".NETCoreApp,Version=v6.0"},
                 "libraries":{
                   "MyApp/1.0.0":{"type":"project","serviceable":false,"sha512":""},
                   "Newtonsoft.Json/13.0.1":{"type":"package","serviceable":true,"sha512":"sha512-x"},
                   "System.Text.Json/6.0.0":{"type":"package"}}}""";
        assertThat(purls(analyze(DotnetPackages.depsJson(), "app/MyApp.deps.json", deps))).containsExactly(
                "pkg:nuget/Newtonsoft.Json@13.0.1", "pkg:nuget/System.Text.Json@6.0.0");
        String lock = """
                {"version":1,"dependencies":{
                  "net6.0":{"Serilog":{"type":"Direct","requested":"[2.12.0, )","resolved":"2.12.0"},
                            "Lib":{"type":"Project"}},
                  "net7.0":{"Serilog":{"type":"Direct","resolved":"2.12.0"},
                            "Polly":{"type":"Transitive","resolved":"7.2.3"}}}}""";
        assertThat(purls(analyze(DotnetPackages.packagesLock(), "src/packages.lock.json", lock))).containsExactly(
                "pkg:nuget/Serilog@2.12.0", "pkg:nuget/Polly@7.2.3");
    }
}

package dev.portcullis.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code portcullis admin}, {@code admin user}, ...): run alone, it prints its
 * usage, under its full name ({@code portcullis admin user}), from the command line picocli built for it.
 */
abstract class CommandGroup implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}

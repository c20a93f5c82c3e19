package io.github.infermetrics.cli;

import java.util.function.IntSupplier;

/**
 * Makes Ctrl-C (SIGINT) and SIGTERM end a long-running command with the exit code its help promises instead of the
 * JVM's 130 or 143: a shutdown hook runs the command's stop action, which gives the code, and halts with it. Close
 * it when the command ends by itself, so that a normal exit is left alone.
 */
final class SignalExit implements AutoCloseable {
  private final Thread hook;
  private final boolean installed;

  private SignalExit(String name, IntSupplier stop) {
    this.hook = new Thread(() -> Runtime.getRuntime().halt(stop.getAsInt()), name);
    boolean ok;
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      ok = true;
    } catch (IllegalStateException shuttingDown) {
      ok = false;
    }
    this.installed = ok;
  }

  /**
   * Installs the hook.
   *
   * @param name the hook thread's name
   * @param stop stops the command (closes servers, flushes output) and returns the exit code
   * @return the installed hook; close it when the command returns
   */
  static SignalExit install(String name, IntSupplier stop) {
    return new SignalExit(name, stop);
  }

  @Override
  public void close() {
    if (installed) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs or ran: it decides the exit code
      }
    }
  }
}

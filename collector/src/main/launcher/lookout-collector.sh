#!/bin/sh
# lookout-collector.jar is this launcher followed by the jar itself: zip readers find the jar's
# central directory from the end of the file, so `java -jar lookout-collector.jar` works as well.
# Java: $JAVA_HOME/bin/java when JAVA_HOME is set, else java on the PATH.
# LOOKOUT_JAVA_OPTS: JVM options, e.g. LOOKOUT_JAVA_OPTS="-Xmx512m".
java=java
[ -n "$JAVA_HOME" ] && java="$JAVA_HOME/bin/java"
# shellcheck disable=SC2086 # LOOKOUT_JAVA_OPTS holds several words
exec "$java" $LOOKOUT_JAVA_OPTS -jar "$0" "$@"

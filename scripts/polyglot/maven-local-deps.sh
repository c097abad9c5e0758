#!/usr/bin/env bash
# Installs exact versions of Maven artifacts into the local repository, so that version ranges resolve to them even when
# the remote repository's maven-metadata.xml does not list them (the local repository's metadata is merged in).
#
# Usage: maven-local-deps.sh group:artifact:version ...   (local repository: $MAVEN_LOCAL_REPOSITORY or ~/.m2/repository)
set -euo pipefail

repo="${MAVEN_LOCAL_REPOSITORY:-$HOME/.m2/repository}"
dependency_plugin=org.apache.maven.plugins:maven-dependency-plugin:3.6.1
install_plugin=org.apache.maven.plugins:maven-install-plugin:3.1.1

for coordinates in "$@"; do
  IFS=: read -r group artifact version <<<"$coordinates"
  dir="$repo/${group//.//}/$artifact"
  if grep -qs "<version>$version</version>" "$dir/maven-metadata-local.xml"; then
    continue
  fi
  for packaging in pom jar; do
    mvn -B -q -Dstyle.color=never "$dependency_plugin:get" -Dmaven.repo.local="$repo" -Dtransitive=false \
      -Dartifact="$group:$artifact:$version:$packaging"
  done
  # install-file refuses to copy a file onto itself: install from a copy.
  tmp="$(mktemp -d)"
  cp "$dir/$version/$artifact-$version.jar" "$dir/$version/$artifact-$version.pom" "$tmp/"
  mvn -B -q -Dstyle.color=never "$install_plugin:install-file" -Dmaven.repo.local="$repo" \
    -Dfile="$tmp/$artifact-$version.jar" -DpomFile="$tmp/$artifact-$version.pom"
  rm -rf "$tmp"
  echo "Installed $group:$artifact:$version into $repo"
done

{{/* Chart name, cut to the 63 characters a DNS label allows. */}}
{{- define "hello.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Object name prefix: the release name, plus the chart name unless it already holds it. */}}
{{- define "hello.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Namespace of every object: the release namespace. */}}
{{- define "hello.namespace" -}}
{{- .Release.Namespace }}
{{- end }}

{{/* Chart label value: name and version. */}}
{{- define "hello.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Kubernetes recommended labels, on every object of the release. */}}
{{- define "hello.labels" -}}
helm.sh/chart: {{ include "hello.chart" . }}
{{ include "hello.selectorLabels" . }}
app.kubernetes.io/version: {{ include "hello.version" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ include "hello.name" . }}
{{- end }}

{{/* Labels that select the API pods; never change them, selectors are immutable. */}}
{{- define "hello.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hello.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: api
{{- end }}

{{/* Labels that select the in-chart Redis pod. */}}
{{- define "hello.redis.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hello.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: redis
{{- end }}

{{/* Labels of the in-chart Redis objects: the common ones with the redis component. */}}
{{- define "hello.redis.labels" -}}
helm.sh/chart: {{ include "hello.chart" . }}
{{ include "hello.redis.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.redis.server.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ include "hello.name" . }}
{{- end }}

{{/* Labels that select `helm test` pods, which the API's NetworkPolicy lets in. */}}
{{- define "hello.test.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hello.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: test
{{- end }}

{{/* Labels of `helm test` pods: the common ones with the test component, not the API's. */}}
{{- define "hello.test.labels" -}}
helm.sh/chart: {{ include "hello.chart" . }}
{{ include "hello.test.selectorLabels" . }}
app.kubernetes.io/version: {{ include "hello.version" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ include "hello.name" . }}
{{- end }}

{{/* Version label: the image tag without a digest, or the appVersion. */}}
{{- define "hello.version" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- regexReplaceAll "@.*$" $tag "" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of the ServiceAccount the pods run as. */}}
{{- define "hello.serviceAccountName" -}}
{{- if .Values.serviceAccount.enabled }}
{{- default (include "hello.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image reference of the API. `tag` may carry a digest (`1.2.0@sha256:…`, as Skaffold sets it);
a lone trailing "@" (Skaffold with no digest, GoogleContainerTools/skaffold#7978) is dropped.
*/}}
{{- define "hello.image" -}}
{{- $tag := trimSuffix "@" (default .Chart.AppVersion .Values.image.tag) }}
{{- if .Values.image.digest }}
{{- $bare := regexReplaceAll "@.*$" $tag "" }}
{{- printf "%s:%s@%s" .Values.image.repository $bare .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/* Image reference of the in-chart Redis, by digest when one is given. */}}
{{- define "hello.redis.image" -}}
{{- with .Values.redis.server.image }}
{{- if .digest }}
{{- printf "%s:%s@%s" .repository .tag .digest }}
{{- else }}
{{- printf "%s:%s" .repository .tag }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of the in-chart Redis objects (StatefulSet, Service, ConfigMap). */}}
{{- define "hello.redis.fullname" -}}
{{- printf "%s-redis" (include "hello.fullname" . | trunc 57 | trimSuffix "-") }}
{{- end }}

{{/* Name of the Secret the chart makes for REDIS_URL and the in-chart Redis password. */}}
{{- define "hello.redis.secretName" -}}
{{- printf "%s-redis-auth" (include "hello.fullname" . | trunc 52 | trimSuffix "-") }}
{{- end }}

{{/* Secret name and key that hold REDIS_URL, or nothing when the embedded store is used. */}}
{{- define "hello.redisUrlSecret" -}}
{{- if .Values.redis.existingSecret }}
{{- dict "name" .Values.redis.existingSecret "key" .Values.redis.existingSecretKey | toJson }}
{{- else if or .Values.redis.enabled .Values.redis.url }}
{{- dict "name" (include "hello.redis.secretName" .) "key" "redis-url" | toJson }}
{{- end }}
{{- end }}

{{/* Seconds of the pod's termination grace period: every shutdown phase plus a margin. */}}
{{- define "hello.terminationGracePeriodSeconds" -}}
{{- with .Values.shutdown }}
{{- add .preStopSeconds .drainSeconds .shutdownTimeoutSeconds .marginSeconds }}
{{- end }}
{{- end }}

{{/* Replica floor: the autoscaler minimum when it is on, the fixed count otherwise. */}}
{{- define "hello.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}
{{- .Values.autoscaling.minReplicas }}
{{- else }}
{{- .Values.replicaCount }}
{{- end }}
{{- end }}

{{/* Refuse value combinations that would deploy something broken; called by the Deployment. */}}
{{- define "hello.validate" -}}
{{- $redis := .Values.redis }}
{{- if and $redis.enabled (or $redis.url $redis.existingSecret) }}
{{- fail "redis.enabled runs Redis in the release: leave redis.url and existingSecret empty" }}
{{- end }}
{{- if and $redis.url $redis.existingSecret }}
{{- fail "set redis.url or redis.existingSecret, not both" }}
{{- end }}
{{- if and $redis.cluster $redis.enabled }}
{{- fail "redis.cluster needs a clustered Redis; the in-chart Redis is a single node" }}
{{- end }}
{{- if and $redis.cluster (not (or $redis.url $redis.existingSecret)) }}
{{- fail "redis.cluster needs redis.url or redis.existingSecret" }}
{{- end }}
{{- $shared := or $redis.enabled $redis.url $redis.existingSecret }}
{{- if and (not $shared) (gt (int (include "hello.minReplicas" .)) 1) }}
{{- fail "without Redis each pod keeps its own data: run 1 replica or configure redis.*" }}
{{- end }}
{{- if and (not $shared) .Values.autoscaling.enabled }}
{{- fail "autoscaling needs a shared store: enable redis or set redis.url / existingSecret" }}
{{- end }}
{{- end }}

{{- define "cloudpilot.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "cloudpilot.fullname" -}}
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

{{- define "cloudpilot.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cloudpilot.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "cloudpilot.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "cloudpilot.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "cloudpilot.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "cloudpilot.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create=false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "cloudpilot.secretName" -}}
{{- default (include "cloudpilot.fullname" .) .Values.auth.existingSecret }}
{{- end }}

{{/* SQLite is one file on one volume: one replica, Recreate. */}}
{{- define "cloudpilot.sqlite" -}}
{{- if eq .Values.database.type "sqlite" }}true{{ end }}
{{- end }}

{{- define "cloudpilot.replicas" -}}
{{- if include "cloudpilot.sqlite" . }}1{{ else }}{{ .Values.replicaCount }}{{ end }}
{{- end }}

{{/* Several replicas: a PodDisruptionBudget and spreading over nodes make sense. */}}
{{- define "cloudpilot.multiReplica" -}}
{{- if gt (int (include "cloudpilot.replicas" .)) 1 }}true{{ end }}
{{- end }}

{{- define "cloudpilot.pvc" -}}
{{- if and (include "cloudpilot.sqlite" .) (eq .Values.mode "server") .Values.persistence.enabled }}true{{ end }}
{{- end }}

{{- define "cloudpilot.anyWrite" -}}
{{- range $k, $v := .Values.rbac.write }}{{ if $v }}true{{ end }}{{ end }}
{{- end }}

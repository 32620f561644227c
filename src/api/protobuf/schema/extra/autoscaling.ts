/**
 * autoscaling/v1, autoscaling/v2 and apiregistration.k8s.io/v1 messages, which protobuf-fields.json
 * does not cover.
 *
 * Field numbers: kubernetes/api autoscaling/v1/generated.proto and autoscaling/v2/generated.proto at
 * commit 10b39a39bcee (2026-07-24, the published mirror of kubernetes/kubernetes
 * staging/src/k8s.io/api/autoscaling), and kubernetes/kube-aggregator
 * pkg/apis/apiregistration/v1/generated.proto at commit 232ca687ab24 (2026-07-01). JSON names and
 * flags from the Go struct tags of the types.go beside each. Only the v1 messages a v1
 * HorizontalPodAutoscaler body uses are listed (the v1 MetricSpec family lives in annotations).
 *
 * @module
 */
import type { SchemaSource } from '../types.js';

// prettier-ignore
export const AUTOSCALING_EXTRA: SchemaSource = {
  'autoscaling.v1.HorizontalPodAutoscaler': [
    '1:metadata:@meta.v1.ObjectMeta?', '2:spec:@autoscaling.v1.HorizontalPodAutoscalerSpec?',
    '3:status:@autoscaling.v1.HorizontalPodAutoscalerStatus?',
  ],
  'autoscaling.v1.HorizontalPodAutoscalerSpec': [
    '1:scaleTargetRef:@autoscaling.v1.CrossVersionObjectReference', '2:minReplicas:int32?*', '3:maxReplicas:int32',
    '4:targetCPUUtilizationPercentage:int32?*',
  ],
  'autoscaling.v1.HorizontalPodAutoscalerStatus': [
    '1:observedGeneration:int64?*', '2:lastScaleTime:@meta.v1.Time?*', '3:currentReplicas:int32',
    '4:desiredReplicas:int32', '5:currentCPUUtilizationPercentage:int32?*',
  ],
  'autoscaling.v1.CrossVersionObjectReference': ['1:kind:string', '2:name:string', '3:apiVersion:string?'],
  'autoscaling.v2.HorizontalPodAutoscaler': [
    '1:metadata:@meta.v1.ObjectMeta?', '2:spec:@autoscaling.v2.HorizontalPodAutoscalerSpec?',
    '3:status:@autoscaling.v2.HorizontalPodAutoscalerStatus?',
  ],
  'autoscaling.v2.HorizontalPodAutoscalerSpec': [
    '1:scaleTargetRef:@autoscaling.v2.CrossVersionObjectReference', '2:minReplicas:int32?*', '3:maxReplicas:int32',
    '4:metrics:@autoscaling.v2.MetricSpec[]?', '5:behavior:@autoscaling.v2.HorizontalPodAutoscalerBehavior?*',
  ],
  'autoscaling.v2.CrossVersionObjectReference': ['1:kind:string', '2:name:string', '3:apiVersion:string?'],
  'autoscaling.v2.MetricSpec': [
    '1:type:string', '2:object:@autoscaling.v2.ObjectMetricSource?*', '3:pods:@autoscaling.v2.PodsMetricSource?*',
    '4:resource:@autoscaling.v2.ResourceMetricSource?*',
    '7:containerResource:@autoscaling.v2.ContainerResourceMetricSource?*',
    '5:external:@autoscaling.v2.ExternalMetricSource?*',
  ],
  'autoscaling.v2.HorizontalPodAutoscalerBehavior': [
    '1:scaleUp:@autoscaling.v2.HPAScalingRules?*', '2:scaleDown:@autoscaling.v2.HPAScalingRules?*',
  ],
  'autoscaling.v2.HPAScalingRules': [
    '3:stabilizationWindowSeconds:int32?*', '1:selectPolicy:string?*', '2:policies:@autoscaling.v2.HPAScalingPolicy[]?',
    '4:tolerance:@resource.Quantity?*',
  ],
  'autoscaling.v2.HPAScalingPolicy': ['1:type:string', '2:value:int32', '3:periodSeconds:int32'],
  'autoscaling.v2.ObjectMetricSource': [
    '1:describedObject:@autoscaling.v2.CrossVersionObjectReference', '2:target:@autoscaling.v2.MetricTarget',
    '3:metric:@autoscaling.v2.MetricIdentifier',
  ],
  'autoscaling.v2.PodsMetricSource': ['1:metric:@autoscaling.v2.MetricIdentifier', '2:target:@autoscaling.v2.MetricTarget'],
  'autoscaling.v2.ResourceMetricSource': ['1:name:string', '2:target:@autoscaling.v2.MetricTarget'],
  'autoscaling.v2.ContainerResourceMetricSource': [
    '1:name:string', '2:target:@autoscaling.v2.MetricTarget', '3:container:string',
  ],
  'autoscaling.v2.ExternalMetricSource': [
    '1:metric:@autoscaling.v2.MetricIdentifier', '2:target:@autoscaling.v2.MetricTarget',
  ],
  'autoscaling.v2.MetricIdentifier': ['1:name:string', '2:selector:@meta.v1.LabelSelector?*'],
  'autoscaling.v2.MetricTarget': [
    '1:type:string', '2:value:@resource.Quantity?*', '3:averageValue:@resource.Quantity?*',
    '4:averageUtilization:int32?*',
  ],
  'autoscaling.v2.HorizontalPodAutoscalerStatus': [
    '1:observedGeneration:int64?*', '2:lastScaleTime:@meta.v1.Time?*', '3:currentReplicas:int32?',
    '4:desiredReplicas:int32', '5:currentMetrics:@autoscaling.v2.MetricStatus[]',
    '6:conditions:@autoscaling.v2.HorizontalPodAutoscalerCondition[]?',
  ],
  'autoscaling.v2.HorizontalPodAutoscalerCondition': [
    '1:type:string', '2:status:string', '3:lastTransitionTime:@meta.v1.Time?', '4:reason:string?',
    '5:message:string?', '6:observedGeneration:int64?*',
  ],
  'autoscaling.v2.MetricStatus': [
    '1:type:string', '2:object:@autoscaling.v2.ObjectMetricStatus?*', '3:pods:@autoscaling.v2.PodsMetricStatus?*',
    '4:resource:@autoscaling.v2.ResourceMetricStatus?*',
    '7:containerResource:@autoscaling.v2.ContainerResourceMetricStatus?*',
    '5:external:@autoscaling.v2.ExternalMetricStatus?*',
  ],
  'autoscaling.v2.ObjectMetricStatus': [
    '1:metric:@autoscaling.v2.MetricIdentifier', '2:current:@autoscaling.v2.MetricValueStatus',
    '3:describedObject:@autoscaling.v2.CrossVersionObjectReference',
  ],
  'autoscaling.v2.PodsMetricStatus': [
    '1:metric:@autoscaling.v2.MetricIdentifier', '2:current:@autoscaling.v2.MetricValueStatus',
  ],
  'autoscaling.v2.ResourceMetricStatus': ['1:name:string', '2:current:@autoscaling.v2.MetricValueStatus'],
  'autoscaling.v2.ContainerResourceMetricStatus': [
    '1:name:string', '2:current:@autoscaling.v2.MetricValueStatus', '3:container:string',
  ],
  'autoscaling.v2.ExternalMetricStatus': [
    '1:metric:@autoscaling.v2.MetricIdentifier', '2:current:@autoscaling.v2.MetricValueStatus',
  ],
  'autoscaling.v2.MetricValueStatus': [
    '1:value:@resource.Quantity?*', '2:averageValue:@resource.Quantity?*', '3:averageUtilization:int32?*',
  ],
  'apiregistration.v1.APIService': [
    '1:metadata:@meta.v1.ObjectMeta?', '2:spec:@apiregistration.v1.APIServiceSpec?',
    '3:status:@apiregistration.v1.APIServiceStatus?',
  ],
  'apiregistration.v1.APIServiceSpec': [
    '1:service:@apiregistration.v1.ServiceReference?*', '2:group:string?', '3:version:string?',
    '4:insecureSkipTLSVerify:bool?', '5:caBundle:bytes?', '7:groupPriorityMinimum:int32', '8:versionPriority:int32',
  ],
  'apiregistration.v1.ServiceReference': ['1:namespace:string?', '2:name:string?', '3:port:int32?*'],
  'apiregistration.v1.APIServiceStatus': ['1:conditions:@apiregistration.v1.APIServiceCondition[]?'],
  'apiregistration.v1.APIServiceCondition': [
    '1:type:string', '2:status:string', '3:lastTransitionTime:@meta.v1.Time?', '4:reason:string?', '5:message:string?',
  ],
};
